using HallMonitor.Grains;
using HallMonitor.Silo;

namespace HallMonitor.Web.Tests;

/// <summary>Which alerts a clerk's token may acknowledge: those of its window and queues, a case's of the window that accepted it, never a follow-up's.</summary>
public sealed class AcknowledgeRulesTests
{
    private static readonly Hall Hall = new(new HallDefinition
    {
        Id = "xinqu",
        Name = "长春新区政务服务中心",
        Matters = [new MatterDefinition { Code = "RE-TRANS", Name = "不动产转移登记", Category = "不动产登记", Prefix = "C", WaitTargetSeconds = 1800, HandleTargetSeconds = 1800, PromisedDays = 3 }],
        Windows =
        [
            new WindowDefinition { Id = "01", Name = "1号窗口", Matters = ["*"] },
            new WindowDefinition { Id = "02", Name = "2号窗口", Matters = ["*"] },
        ],
    });

    private static readonly Caller Clerk = new("张三", Roles.Clerk, "xinqu", "01");

    [Theory]
    [InlineData(AlertKind.CaseDeadline, "01", true)]
    [InlineData(AlertKind.CaseStatutoryOverdue, "01", true)]
    [InlineData(AlertKind.CaseDeadline, "02", false)]
    [InlineData(AlertKind.FollowUpOverdue, null, false)]
    [InlineData(AlertKind.FollowUpOverdue, "01", false)]
    public void AClerk_AcknowledgesTheCardsOfItsOwnCasesOnly_AndNoFollowUp(AlertKind kind, string? window, bool allowed)
    {
        var alert = new AlertView { AlertId = "x", Kind = kind, Matter = "RE-TRANS", Window = window, Level = AlertLevel.Overtime };

        var refusal = AccessRules.AcknowledgeRefusal(Clerk, Hall, alert);

        Assert.Equal(allowed, refusal is null);
    }

    [Fact]
    public void ASupervisor_AcknowledgesAFollowUpsCard()
    {
        var alert = new AlertView { AlertId = "followup-x", Kind = AlertKind.FollowUpOverdue, Matter = "RE-TRANS", Level = AlertLevel.Overtime };

        Assert.Null(AccessRules.AcknowledgeRefusal(new Caller("王主任", Roles.Supervisor, "xinqu", null), Hall, alert));
    }
}
