namespace HallMonitor.Grains;

/// <summary>
/// The arithmetic of a case's cards, shared by the case grain (which raises them), the hall (which wakes the cases
/// whose card is due) and the metrics (which count open cases per level).
/// </summary>
public static class CaseClock
{
    /// <summary>
    /// When less than one working day is left before <paramref name="due"/> (the end of a working day): the start of
    /// that last day.
    /// </summary>
    public static DateTimeOffset YellowAt(Hall hall, DateTimeOffset due) => hall.StartOf(hall.ServiceDay(due).AddDays(-1));

    /// <summary>The level of a case at <paramref name="at"/>: now while its clock runs, when it stopped otherwise.</summary>
    public static CaseLevel Level(Hall hall, DateTimeOffset promisedDue, DateTimeOffset? statutoryDue, DateTimeOffset at) =>
        statutoryDue is { } statutory && at >= statutory ? CaseLevel.StatutoryRed
        : at >= promisedDue ? CaseLevel.Red
        : at >= YellowAt(hall, promisedDue) ? CaseLevel.Yellow
        : CaseLevel.Ok;

    /// <summary>The moment the clock of a case stands at: its decision, the start of its pause, or now.</summary>
    public static DateTimeOffset ClockAt(CaseView view, DateTimeOffset now) => view.DecidedAt ?? view.PausedSince ?? now;

    /// <summary>
    /// The next moment a running case needs a card it does not have yet, given its open cards; null when none is
    /// due any more (or its clock does not run).
    /// </summary>
    public static DateTimeOffset? NextCard(Hall hall, CaseView view, AlertView? deadline, AlertView? statutory)
    {
        if (view.State is CaseState.AwaitingMaterials or CaseState.Decided or CaseState.Delivered)
        {
            return null;
        }

        DateTimeOffset? next = deadline switch
        {
            null => YellowAt(hall, view.PromisedDue),
            { Level: AlertLevel.Warning } => view.PromisedDue,
            _ => null,
        };
        if (statutory is null && view.StatutoryDue is { } statutoryDue && (next is null || statutoryDue < next))
        {
            next = statutoryDue;
        }

        return next;
    }

    /// <summary>The id of a case's promised-deadline card.</summary>
    public static string DeadlineAlertId(string caseId) => $"case-{caseId}";

    /// <summary>The id of a case's statutory-deadline card.</summary>
    public static string StatutoryAlertId(string caseId) => $"statutory-{caseId}";

    /// <summary>The id of a follow-up's overdue card.</summary>
    public static string FollowUpAlertId(string followUpId) => $"followup-{followUpId}";

    /// <summary>Hours past a deadline (negative: still left), for a card's value.</summary>
    public static double HoursPast(DateTimeOffset due, DateTimeOffset now) => Math.Round((now - due).TotalHours, 1);
}
