using System.Text.Json;
using HallMonitor.Testing;

namespace HallMonitor.Grains.Tests;

/// <summary>
/// Calendar files (<c>calendars/{name}.json</c> next to the halls file), loaded with the halls at start-up: every problem
/// named with its file and place, all of them at once, as a <see cref="HallsConfigurationException"/>.
/// </summary>
public sealed class CalendarFileTests : IDisposable
{
    private const string TestLand = """
        {
          "name": "test-land",
          "source": "the tests' own arrangement",
          "years": {
            "2030": { "holidays": ["2030-01-01", "2030-10-01", "2030-10-02"], "workdays": ["2030-09-29"] },
            "2031": { "holidays": ["2031-01-01"], "workdays": [] }
          }
        }
        """;

    private static readonly ManualTimeProvider MidYear2030 = new(DateTimeOffset.Parse("2030-06-01T09:00:00+08:00"));

    private readonly string _folder = Directory.CreateTempSubdirectory("hallmonitor-calendars-").FullName;

    [Fact]
    public void Load_GivesEachHallTheCalendarItNames_AndMondayToFridayToTheOthers()
    {
        WriteCalendar("test-land", TestLand);

        var catalog = HallCatalog.Load(WriteHalls(("xinqu", "test-land"), ("ganjingzi", null)), MidYear2030);

        var xinqu = catalog.GetHall("xinqu").Calendar;
        Assert.Equal(("test-land", "the tests' own arrangement"), (xinqu.Name, xinqu.Source));
        Assert.Equal([2030, 2031], xinqu.Years);
        Assert.True(xinqu.IsWorkingDay(WorkingCalendarTests.Day("2030-09-29")));
        Assert.False(xinqu.IsWorkingDay(WorkingCalendarTests.Day("2030-10-01")));
        Assert.Same(WorkingCalendar.MondayToFriday, catalog.GetHall("ganjingzi").Calendar);
    }

    [Fact]
    public void Load_NamesEveryProblemOfACalendarFile_WithItsFileAndPlace()
    {
        var file = WriteCalendar("test-land", """
            {
              "name": "other-land",
              "years": {
                "2030": {
                  "holidays": ["2030-02-30", "2031-01-01", "2030-10-01", "2030-10-01"],
                  "workdays": ["2030-10-08", "2030-10-01"]
                },
                "20x1": { "holidays": [], "workdays": [] },
                "2032": { "holidays": [] }
              }
            }
            """);

        var problems = Refused(("xinqu", "test-land"));

        Assert.Contains($"{file}: name: 'other-land' differs from the file's name 'test-land'", problems);
        Assert.Contains($"{file}: years.2030.holidays[0]: '2030-02-30' is not a date (yyyy-MM-dd)", problems);
        Assert.Contains($"{file}: years.2030.holidays[1]: 2031-01-01 is not in 2030", problems);
        Assert.Contains($"{file}: years.2030.holidays[3]: 2030-10-01 is listed twice (also [2])", problems);
        Assert.Contains($"{file}: years.2030.workdays[0]: 2030-10-08 is a Tuesday; a make-up working day falls on a weekend", problems);
        Assert.Contains($"{file}: years.2030.workdays[1]: 2030-10-01 is a Tuesday; a make-up working day falls on a weekend", problems);
        Assert.Contains($"{file}: years.2030.workdays[1]: 2030-10-01 is also holidays[2]; a day is either off or worked", problems);
        Assert.Contains($"{file}: years.20x1: '20x1' is not a year (four digits)", problems);
        Assert.Contains($"{file}: years.2032.workdays: required (an empty list when there is none)", problems);
    }

    [Fact]
    public void Load_NamesAnUnknownCalendar_AndAnInvalidName_WithTheirHall()
    {
        var problems = Refused(("xinqu", "nowhere"), ("ganjingzi", "../halls"));

        Assert.Contains(problems, p => p.StartsWith("hall 'xinqu'.calendar: 'nowhere' is not a known calendar", StringComparison.Ordinal));
        Assert.Contains("hall 'ganjingzi'.calendar: '../halls' must be 1–64 lower-case letters, digits or '-'", problems);
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void Load_NamesACalendarFileThatIsNotJson_AndTheHallsFileProblemsWithIt()
    {
        var file = WriteCalendar("test-land", "{ \"name\": \"test-land\", \"years\": { ");

        var problems = Refused(("xinqu", "test-land"), ("ganjingzi", "nowhere"));

        Assert.Contains(problems, p => p.StartsWith($"{file}: not valid JSON for a working-day calendar", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("hall 'ganjingzi'.calendar: 'nowhere' is not a known calendar", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2032-03-01T09:00:00+08:00", 2032)]
    [InlineData("2031-12-31T17:00:00Z", 2032)] // already New Year's Day in the hall's time zone
    public void Load_WarnsOfACalendarThatDoesNotCoverTheCurrentYear_NamingTheYear_ButServesTheHall(string now, int year)
    {
        WriteCalendar("test-land", TestLand);

        var catalog = HallCatalog.Load(WriteHalls(("xinqu", "test-land")), new ManualTimeProvider(DateTimeOffset.Parse(now)));

        Assert.Equal("test-land", catalog.GetHall("xinqu").Calendar.Name);
        Assert.Equal(
            [$"hall 'xinqu'.calendar: 'test-land' does not cover the current year {year} (it covers 2030, 2031); add {year} from the official notice, until then no deadline in {year} can be computed"],
            catalog.Warnings);
    }

    [Fact]
    public void ShippedNationalCalendar_LoadsWithTheDemoHalls_WithTheYearsOfTheCitedNotices()
    {
        var halls = RepositoryFile("web", "halls.json");

        var catalog = HallCatalog.Load(halls);

        var calendar = catalog.Halls.Select(h => h.Calendar).Distinct().Single();
        Assert.Equal("cn-mainland", calendar.Name);
        Assert.Equal([2025, 2026], calendar.Years.Order());

        // Pinned to the State Council's notices: 2026-02-14 (a Saturday) is worked, 2025-01-28 (New Year's Eve, 除夕) is off.
        Assert.True(calendar.IsWorkingDay(WorkingCalendarTests.Day("2026-02-14")));
        Assert.False(calendar.IsWorkingDay(WorkingCalendarTests.Day("2025-01-28")));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private List<string> Refused(params (string Hall, string? Calendar)[] halls)
    {
        var refused = Assert.Throws<HallsConfigurationException>(() => HallCatalog.Load(WriteHalls(halls), MidYear2030));
        return [.. refused.Errors];
    }

    private string WriteCalendar(string name, string json)
    {
        var path = WorkingCalendarFiles.PathOf(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    private string WriteHalls(params (string Hall, string? Calendar)[] halls)
    {
        var file = new HallsFile
        {
            Halls = [.. halls.Select(h => new HallDefinition
            {
                Id = h.Hall,
                Name = h.Hall,
                Calendar = h.Calendar,
                Matters = [new MatterDefinition { Code = "BIZ-REG", Name = "企业设立登记", Category = "商事登记", Prefix = "A", WaitTargetSeconds = 1800, HandleTargetSeconds = 1200, PromisedDays = 5 }],
                Windows = [new WindowDefinition { Id = "01", Name = "1号窗口", Matters = ["*"] }],
            })],
        };
        var path = Path.Combine(_folder, "halls.json");
        File.WriteAllText(path, JsonSerializer.Serialize(file, HallMonitorJson.Options));
        return path;
    }

    private static string RepositoryFile(params string[] parts)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "HallMonitor.sln")))
            {
                return Path.Combine([folder.FullName, .. parts]);
            }
        }

        throw new InvalidOperationException("The repository root (with HallMonitor.sln) was not found above the test's folder.");
    }
}
