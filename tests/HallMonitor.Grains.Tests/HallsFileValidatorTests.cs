namespace HallMonitor.Grains.Tests;

/// <summary>The hall configuration's ids, codes and prefixes (a trailing newline is not part of a valid one) and its follow-up days.</summary>
public sealed class HallsFileValidatorTests
{
    [Fact]
    public void AValidFile_HasNoProblems()
    {
        Assert.Empty(HallsFileValidator.Validate(File("xinqu", "BIZ-REG", "A")));
    }

    [Theory]
    [InlineData("xinqu\n", "BIZ-REG", "A", "halls[0].id")]
    [InlineData("xinqu", "BIZ-REG\n", "A", "matter 'BIZ-REG\n'")]
    [InlineData("xinqu", "BIZ-REG", "A\n", "prefix")]
    public void AnIdCodeOrPrefixEndingInANewline_IsAProblemNamingIt(string hall, string matter, string prefix, string named)
    {
        var problems = HallsFileValidator.Validate(File(hall, matter, prefix));

        Assert.Contains(problems, p => p.Contains(named, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(61)]
    public void FollowUpDaysOutsideOneToSixty_IsAProblemNamingIt(int days)
    {
        var file = File("xinqu", "BIZ-REG", "A");
        file = file with { Halls = [file.Halls[0] with { FollowUpDays = days }] };

        Assert.Contains($"hall 'xinqu'.followUpDays: {days} must be 1 to 60 working days", HallsFileValidator.Validate(file));
    }

    [Fact]
    public void FollowUpDays_DefaultsToFive()
    {
        Assert.Equal(5, File("xinqu", "BIZ-REG", "A").Halls[0].FollowUpDays);
    }

    private static HallsFile File(string hall, string matter, string prefix) => new()
    {
        Halls =
        [
            new HallDefinition
            {
                Id = hall,
                Name = "长春新区政务服务中心",
                Matters = [new MatterDefinition { Code = matter, Name = "企业设立登记", Category = "商事登记", Prefix = prefix, WaitTargetSeconds = 1800, HandleTargetSeconds = 1200 }],
                Windows = [new WindowDefinition { Id = "01", Name = "1号窗口", Kind = WindowKind.Comprehensive, Matters = ["*"] }],
            },
        ],
    };
}
