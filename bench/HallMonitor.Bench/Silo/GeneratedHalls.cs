using System.Globalization;
using HallMonitor.Grains;

namespace HallMonitor.Bench.Silo;

/// <summary>Hall configurations made up for measurements, shaped like the district halls of the design.</summary>
public static class GeneratedHalls
{
    public const string HallId = "bench";

    /// <summary>
    /// <paramref name="sectors"/> sectors of <paramref name="mattersPerSector"/> matters, one ticket prefix per
    /// sector; <paramref name="comprehensive"/> windows serve everything (一窗通办) and the rest are dedicated to
    /// one sector each, round robin.
    /// </summary>
    public static HallsFile ServiceHall(int windows, int comprehensive, int sectors, int mattersPerSector)
    {
        var matters = Enumerable.Range(0, sectors * mattersPerSector)
            .Select(i => Matter(i, sector: i / mattersPerSector))
            .ToList();
        var windowDefinitions = Enumerable.Range(0, windows).Select(w => w < comprehensive
            ? Window(w, WindowKind.Comprehensive, ["*"])
            : Window(w, WindowKind.Dedicated, [.. matters.Where(m => m.Category == Sector((w - comprehensive) % sectors)).Select(m => m.Code)]));
        return Single(matters, [.. windowDefinitions]);
    }

    /// <summary><paramref name="matters"/> matters over 26 prefixes and a single comprehensive window, <c>01</c>.</summary>
    public static HallsFile OneComprehensiveWindow(int matters) =>
        Single([.. Enumerable.Range(0, matters).Select(i => Matter(i, sector: i % 26))], [Window(0, WindowKind.Comprehensive, ["*"])]);

    public static string WindowId(int index) => (index + 1).ToString("00", CultureInfo.InvariantCulture);

    private static HallsFile Single(IReadOnlyList<MatterDefinition> matters, IReadOnlyList<WindowDefinition> windows) => new()
    {
        Halls =
        [
            new HallDefinition
            {
                Id = HallId,
                Name = "压力测试政务服务中心",
                TimeZone = "Asia/Shanghai",
                Matters = matters,
                Windows = windows,
            },
        ],
    };

    private static MatterDefinition Matter(int index, int sector) => new()
    {
        Code = string.Create(CultureInfo.InvariantCulture, $"M{index + 1:0000}"),
        Name = string.Create(CultureInfo.InvariantCulture, $"事项{index + 1}"),
        Category = Sector(sector),
        Prefix = ((char)('A' + sector % 26)).ToString(),
        WaitTargetSeconds = 1800,
        HandleTargetSeconds = 900,
    };

    private static string Sector(int sector) => string.Create(CultureInfo.InvariantCulture, $"S{sector + 1:00}");

    private static WindowDefinition Window(int index, WindowKind kind, IReadOnlyList<string> matters) => new()
    {
        Id = WindowId(index),
        Name = string.Create(CultureInfo.InvariantCulture, $"{index + 1}号窗口"),
        Kind = kind,
        Matters = matters,
    };
}
