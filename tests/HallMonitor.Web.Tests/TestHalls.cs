using System.Text.Json;
using HallMonitor.Grains;

namespace HallMonitor.Web.Tests;

/// <summary>The hall configuration the HTTP tests run against, written to a temporary file.</summary>
internal static class TestHalls
{
    public const string HallId = "xinqu";

    public const string OtherHallId = "kuancheng";

    /// <summary>
    /// Twelve windows: 01–08 serve every matter, 09–10 only BIZ-REG, 11–12 only TAX-INV. RE-TRANS opens cases
    /// (promised in 3 working days, statutory 5).
    /// </summary>
    public static string WriteFile(string folder) => WriteFile(folder, auth: null);

    /// <summary>With an <c>auth</c> section, and then a second hall (<see cref="OtherHallId"/>) for tokens of another hall.</summary>
    public static string WriteFile(string folder, AuthDefinition? auth)
    {
        var windows = Enumerable.Range(1, 12).Select(i => new WindowDefinition
        {
            Id = i.ToString("00", System.Globalization.CultureInfo.InvariantCulture),
            Name = $"{i}号窗口",
            Kind = i <= 8 ? WindowKind.Comprehensive : WindowKind.Dedicated,
            Matters = i <= 8 ? ["*"] : i <= 10 ? ["BIZ-REG"] : ["TAX-INV"],
        }).ToList();
        var file = new HallsFile
        {
            Halls =
            [
                new HallDefinition
                {
                    Id = HallId,
                    Name = "长春新区政务服务中心",
                    Matters =
                    [
                        Matter("BIZ-REG", "企业设立登记", "商事登记", "A", 1800, 1200),
                        Matter("TAX-INV", "发票领用", "办税服务", "B", 1200, 600),
                        Matter("RE-TRANS", "不动产转移登记", "不动产登记", "C", 1800, 1800) with { PromisedDays = 3, StatutoryDays = 5 },
                    ],
                    Windows = windows,
                },
            ],
            Auth = auth,
        };
        if (auth is not null)
        {
            file = file with
            {
                Halls =
                [
                    .. file.Halls,
                    new HallDefinition
                    {
                        Id = OtherHallId,
                        Name = "宽城区政务服务中心",
                        Matters = [Matter("BIZ-REG", "企业设立登记", "商事登记", "A", 1800, 1200)],
                        Windows = [new WindowDefinition { Id = "01", Name = "1号窗口", Kind = WindowKind.Comprehensive, Matters = ["*"] }],
                    },
                ],
            };
        }

        var path = Path.Combine(folder, "halls.json");
        File.WriteAllText(path, JsonSerializer.Serialize(file, HallMonitorJson.Options));
        return path;
    }

    private static MatterDefinition Matter(string code, string name, string category, string prefix, int wait, int handle) => new()
    {
        Code = code,
        Name = name,
        Category = category,
        Prefix = prefix,
        WaitTargetSeconds = wait,
        HandleTargetSeconds = handle,
    };
}
