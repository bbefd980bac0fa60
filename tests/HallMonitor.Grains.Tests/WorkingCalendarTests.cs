namespace HallMonitor.Grains.Tests;

/// <summary>
/// Working-day arithmetic on a calendar of the tests' own (not the national one): holidays, make-up working days,
/// year boundaries, pauses and the deadline at the end of the hall's local day.
/// </summary>
public sealed class WorkingCalendarTests
{
    /// <summary>
    /// 2030: 1 January off; 1–7 October off (Tuesday to Monday), Sunday 29 September and Saturday 12 October worked.
    /// 2031: 1–3 January off (Wednesday to Friday), Saturday 4 January worked.
    /// </summary>
    internal static readonly WorkingCalendar TestLand = new("test-land", "the tests' own arrangement",
    [
        new WorkingYear(2030, [Day("2030-01-01"), .. Days("2030-10-01", 7)], [Day("2030-09-29"), Day("2030-10-12")]),
        new WorkingYear(2031, Days("2031-01-01", 3), [Day("2031-01-04")]),
    ]);

    [Theory]
    [InlineData("2030-01-01", false)] // a holiday on a Tuesday
    [InlineData("2030-01-02", true)] // an ordinary Wednesday
    [InlineData("2030-01-05", false)] // an ordinary Saturday
    [InlineData("2030-09-29", true)] // a make-up Sunday
    [InlineData("2030-10-05", false)] // a Saturday inside the holiday
    public void IsWorkingDay_FollowsHolidaysAndMakeUpDays_ElseMondayToFriday(string day, bool working)
    {
        Assert.Equal(working, TestLand.IsWorkingDay(Day(day)));
    }

    [Theory]
    [InlineData("2030-09-30", 1, "2030-10-08")] // over the whole holiday week
    [InlineData("2030-09-30", 5, "2030-10-12")] // onto the make-up Saturday
    [InlineData("2030-09-30", 6, "2030-10-14")] // over the ordinary Sunday after it
    [InlineData("2030-09-27", 1, "2030-09-29")] // Saturday off, the make-up Sunday worked
    [InlineData("2030-09-27", 0, "2030-09-27")]
    public void AddWorkingDays_CountsOnlyWorkingDays_NotTheStartDay(string from, int workingDays, string expected)
    {
        Assert.Equal(Day(expected), TestLand.AddWorkingDays(Day(from), workingDays));
    }

    [Fact]
    public void WorkingDaysBetween_CountsMakeUpDaysAndSkipsHolidays()
    {
        // Sep 29 (make-up), Sep 30, Oct 8–11, Oct 12 (make-up), Oct 14.
        Assert.Equal(8, TestLand.WorkingDaysBetween(Day("2030-09-27"), Day("2030-10-14")));
        Assert.Equal(0, TestLand.WorkingDaysBetween(Day("2030-10-02"), Day("2030-10-02")));
    }

    [Fact]
    public void DeadlineDay_CrossesIntoTheNextYear_ThroughItsHolidaysAndMakeUpDay()
    {
        // Dec 30, Dec 31, then 1–3 January off and Saturday 4 January worked.
        Assert.Equal(Day("2031-01-04"), TestLand.DeadlineDay(Day("2030-12-27"), workingDays: 3));
    }

    [Fact]
    public void DeadlineDay_IntoAYearTheCalendarDoesNotCover_IsRefusedNamingTheYear()
    {
        Assert.Equal(Day("2031-12-31"), TestLand.DeadlineDay(Day("2031-12-29"), workingDays: 2));

        var refused = Assert.Throws<CalendarYearNotCoveredException>(() => TestLand.DeadlineDay(Day("2031-12-29"), workingDays: 3));

        Assert.Equal(("test-land", 2032), (refused.Calendar, refused.Year));
        Assert.Contains("does not cover 2032 (it covers 2030, 2031)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsWorkingDay_InAYearBeforeTheCalendar_IsRefusedRatherThanGuessed()
    {
        var refused = Assert.Throws<CalendarYearNotCoveredException>(() => TestLand.IsWorkingDay(Day("2029-06-04")));

        Assert.Equal(2029, refused.Year);
    }

    [Fact]
    public void DeadlineDay_MovesByTheWorkingDaysPaused_NotByTheHolidayInsideThePause()
    {
        var accepted = Day("2030-09-26");
        Assert.Equal(Day("2030-09-30"), TestLand.DeadlineDay(accepted, workingDays: 3));

        // Awaiting materials from Monday 30 September to Wednesday 9 October: the holiday week costs nothing.
        var paused = TestLand.WorkingDaysBetween(Day("2030-09-30"), Day("2030-10-09"));

        Assert.Equal(2, paused);
        Assert.Equal(Day("2030-10-09"), TestLand.DeadlineDay(accepted, workingDays: 3, pausedWorkingDays: paused));
    }

    [Fact]
    public void MondayToFriday_CoversEveryYear_WithWeekendsOff()
    {
        var calendar = WorkingCalendar.MondayToFriday;

        Assert.True(calendar.IsWorkingDay(Day("1999-12-31")));
        Assert.False(calendar.IsWorkingDay(Day("2030-01-05")));
        Assert.Equal(Day("2030-10-07"), calendar.AddWorkingDays(Day("2030-10-04"), 1));
        Assert.True(calendar.Covers(2101));
    }

    [Fact]
    public void HallDeadline_IsTheStartOfTheNextLocalDay_AfterTheLastWorkingDay()
    {
        var hall = new Hall(Definition("test-land"), TestLand);

        // 17:00 UTC on 25 September is 01:00 on Thursday 26 September in Shanghai: that is the acceptance day.
        var due = hall.Deadline(DateTimeOffset.Parse("2030-09-25T17:00:00Z"), workingDays: 3, pausedWorkingDays: 2);

        Assert.Equal(DateTimeOffset.Parse("2030-10-10T00:00:00+08:00"), due);
        Assert.Equal(TimeSpan.FromHours(8), due.Offset);
    }

    [Fact]
    public void HallWithoutACalendar_WorksMondayToFriday()
    {
        var hall = new Hall(Definition(calendar: null));

        var due = hall.Deadline(DateTimeOffset.Parse("2030-10-04T10:00:00+08:00"), workingDays: 1);

        Assert.Same(WorkingCalendar.MondayToFriday, hall.Calendar);
        Assert.Equal(DateTimeOffset.Parse("2030-10-08T00:00:00+08:00"), due);
    }

    [Fact]
    public void WorkingYear_RefusesAMakeUpDayOnAWeekday()
    {
        Assert.Throws<ArgumentException>(() => new WorkingYear(2030, [], [Day("2030-10-08")]));
    }

    internal static DateOnly Day(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static DateOnly[] Days(string first, int count) => [.. Enumerable.Range(0, count).Select(Day(first).AddDays)];

    private static HallDefinition Definition(string? calendar) => new()
    {
        Id = "xinqu",
        Name = "长春新区政务服务中心",
        Calendar = calendar,
        Matters = [new MatterDefinition { Code = "BIZ-REG", Name = "企业设立登记", Category = "商事登记", Prefix = "A", WaitTargetSeconds = 1800, HandleTargetSeconds = 1200, PromisedDays = 3 }],
        Windows = [new WindowDefinition { Id = "01", Name = "1号窗口", Matters = ["*"] }],
    };
}
