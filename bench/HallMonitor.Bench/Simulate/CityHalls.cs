using System.Globalization;
using System.Text.Json;
using HallMonitor.Grains;
using Microsoft.Extensions.Configuration;

namespace HallMonitor.Bench.Simulate;

/// <summary>
/// <c>city-halls</c>: a halls file for a city in one silo. Each hall has its matters in sectors (one ticket prefix
/// per sector, handle targets from 5 to 30 minutes, one matter in five opening a case) and a mix of windows:
/// comprehensive (一窗通办) ones that serve everything, dedicated ones per sector, self-service ones for the quick
/// matters and remote (云帮办) ones.
/// </summary>
public static class CityHalls
{
    private static readonly string[] Sectors = ["商事登记", "办税服务", "不动产登记", "户籍治安", "医保社保", "公积金", "出入境", "工程建设", "综合服务", "民政服务"];
    private static readonly int[] HandleTargets = [300, 600, 900, 1200, 1800];

    public static async Task<int> RunAsync(IConfiguration options)
    {
        var file = City(options.GetValue("halls", 200), options.GetValue("windows", 50), options.GetValue("matters", 30), options.GetValue("sectors", 6));
        var path = options["out"] ?? "city-halls.json";
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(file, HallMonitorJson.Options));
        var halls = file.Halls;
        Console.WriteLine($"{path}: {halls.Count} halls × {halls[0].Windows.Count} windows ({string.Join(", ", halls[0].Windows.GroupBy(w => w.Kind).Select(g => $"{g.Count()} {JsonNamingPolicy.CamelCase.ConvertName(g.Key.ToString())}"))}), {halls[0].Matters.Count} matters in {halls[0].Matters.Select(m => m.Category).Distinct().Count()} sectors");
        return 0;
    }

    public static HallsFile City(int halls, int windows, int matters, int sectors)
    {
        if (sectors is < 1 || sectors > Sectors.Length || matters < sectors || windows < 4)
        {
            throw new ArgumentException($"city-halls: 1–{Sectors.Length} sectors, at least one matter per sector and 4 windows");
        }

        var definitions = Enumerable.Range(0, matters).Select(i => Matter(i, i % sectors, i / sectors)).ToList();
        var comprehensive = Math.Max(1, windows * 16 / 100);
        var selfService = Math.Max(1, windows * 8 / 100);
        var remote = Math.Max(1, windows * 4 / 100);
        var dedicated = windows - comprehensive - selfService - remote;
        var quick = definitions.Where(m => m.HandleTargetSeconds <= 600).Select(m => m.Code).ToList();
        var windowDefinitions = new List<WindowDefinition>();
        for (var w = 0; w < windows; w++)
        {
            windowDefinitions.Add(
                w < comprehensive ? Window(w, WindowKind.Comprehensive, ["*"])
                : w < comprehensive + dedicated ? Window(w, WindowKind.Dedicated, [.. definitions.Where(m => m.Category == Sectors[(w - comprehensive) % sectors]).Select(m => m.Code)])
                : w < comprehensive + dedicated + selfService ? Window(w, WindowKind.SelfService, quick)
                : Window(w, WindowKind.Remote, ["*"]));
        }

        return new HallsFile
        {
            Halls = [.. Enumerable.Range(1, halls).Select(h => new HallDefinition
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"c{h:000}"),
                Name = string.Create(CultureInfo.InvariantCulture, $"第{h}政务服务中心"),
                TimeZone = "Asia/Shanghai",
                Matters = definitions,
                Windows = windowDefinitions,
            })],
        };
    }

    private static MatterDefinition Matter(int index, int sector, int inSector) => new()
    {
        Code = string.Create(CultureInfo.InvariantCulture, $"M{index + 1:00}"),
        Name = string.Create(CultureInfo.InvariantCulture, $"{Sectors[sector]}事项{inSector + 1}"),
        Category = Sectors[sector],
        Prefix = ((char)('A' + sector)).ToString(),
        WaitTargetSeconds = 1800,
        HandleTargetSeconds = HandleTargets[index % HandleTargets.Length],
        PromisedDays = index % 5 == 2 ? 5 : null,
        StatutoryDays = index % 5 == 2 ? 20 : null,
    };

    private static WindowDefinition Window(int index, WindowKind kind, IReadOnlyList<string> matters) => new()
    {
        Id = (index + 1).ToString("00", CultureInfo.InvariantCulture),
        Name = string.Create(CultureInfo.InvariantCulture, $"{index + 1}号窗口"),
        Kind = kind,
        Matters = matters,
    };
}
