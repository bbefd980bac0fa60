namespace HallMonitor.Grains;

/// <summary>Folds ticket facts into the case report: per matter, per window, open cases by level, the overdue list.</summary>
public static class CaseReportBuilder
{
    private const string NoWindow = "—";

    public static CaseReport Build(Hall hall, IReadOnlyList<TicketFact> facts, DateTimeOffset now)
    {
        var relevant = facts.Where(f => f.CaseStage is not null || f.FollowUpDue is not null).ToList();
        var cases = relevant.Where(f => f.CaseStage is not null).ToList();
        var open = cases.Where(f => f.CaseDecidedAt is null).ToList();
        return new CaseReport
        {
            Hall = hall.Id,
            At = hall.LocalTime(now),
            ByMatter = [.. relevant.GroupBy(f => f.Matter, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => Row(g.Key, hall.TryGetMatter(g.Key, out var m) ? m.Name : null, g, hall, now))],
            ByWindow = [.. relevant.GroupBy(f => f.Window ?? NoWindow, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => Row(g.Key, hall.TryGetWindow(g.Key, out var w) ? w.Name : null, g, hall, now))],
            OpenByLevel = [.. Enum.GetValues<CaseLevel>().Select(level => new CaseLevelCount(level, open.Count(f => Level(hall, f, now) == level)))],
            Overdue = [.. cases.Where(f => Level(hall, f, now) >= CaseLevel.Red)
                .OrderBy(f => f.CasePromisedDue)
                .ThenBy(f => f.TicketId, StringComparer.Ordinal)
                .Select(f => new OverdueCase
                {
                    CaseId = f.TicketId,
                    Number = f.Number,
                    Matter = f.Matter,
                    MatterName = hall.TryGetMatter(f.Matter, out var m) ? m.Name : null,
                    Window = f.Window,
                    State = f.CaseStage!.Value,
                    AcceptedAt = hall.LocalTime(f.CaseAcceptedAt!.Value),
                    PromisedDue = f.CasePromisedDue!.Value,
                    StatutoryDue = f.CaseStatutoryDue,
                    DecidedAt = f.CaseDecidedAt is { } decided ? hall.LocalTime(decided) : null,
                    Level = Level(hall, f, now),
                })],
        };
    }

    /// <summary>A case's level where its clock stands: at its decision, at the start of its pause, or now.</summary>
    private static CaseLevel Level(Hall hall, TicketFact fact, DateTimeOffset now) =>
        CaseClock.Level(hall, fact.CasePromisedDue!.Value, fact.CaseStatutoryDue, fact.CaseDecidedAt ?? fact.CasePausedSince ?? now);

    private static CaseReportRow Row(string key, string? label, IEnumerable<TicketFact> group, Hall hall, DateTimeOffset now)
    {
        var facts = group.ToList();
        var cases = facts.Where(f => f.CaseStage is not null).ToList();
        var decided = cases.Where(f => f.CaseDecidedAt is not null).ToList();
        var onTime = decided.Count(f => f.CaseDecidedAt <= f.CasePromisedDue);
        var followUps = facts.Where(f => f.FollowUpDue is not null).ToList();
        return new CaseReportRow
        {
            Key = key,
            Label = label,
            Accepted = cases.Count,
            Decided = decided.Count,
            DecidedOnTime = onTime,
            OnTimeRate = decided.Count > 0 ? Math.Round((double)onTime / decided.Count, 4) : null,
            Open = cases.Count - decided.Count,
            OpenOverdue = cases.Count(f => f.CaseDecidedAt is null && Level(hall, f, now) >= CaseLevel.Red),
            FollowUpsOpened = followUps.Count,
            FollowUpsClosedOnTime = followUps.Count(f => f.FollowUpClosedAt <= f.FollowUpDue),
            FollowUpsOverdue = followUps.Count(f => (f.FollowUpClosedAt ?? now) > f.FollowUpDue),
        };
    }
}
