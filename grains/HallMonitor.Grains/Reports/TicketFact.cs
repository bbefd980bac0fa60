namespace HallMonitor.Grains;

/// <summary>
/// What the journal says about one ticket leg, folded into the fields reports need. Reports read these
/// instead of the journal itself; they are a function of the journal and can always be rebuilt from it.
/// </summary>
public sealed class TicketFact
{
    public required string TicketId { get; set; }

    public required string Number { get; set; }

    public required string Matter { get; set; }

    public DateOnly ServiceDay { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public bool Priority { get; set; }

    public TicketChannel Channel { get; set; }

    public TicketState State { get; set; }

    public string? Window { get; set; }

    public string? Clerk { get; set; }

    public DateTimeOffset? CalledAt { get; set; }

    public double? WaitSeconds { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public double? HandleSeconds { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public int Recalls { get; set; }

    public int? Score { get; set; }

    public string? TransferredFrom { get; set; }

    public string? TransferredTo { get; set; }

    /// <summary>Where the case the service opened stands; null when it opened none.</summary>
    public CaseState? CaseStage { get; set; }

    public DateTimeOffset? CaseAcceptedAt { get; set; }

    /// <summary>The case's promised deadline as it stands (moved by the time spent awaiting materials).</summary>
    public DateTimeOffset? CasePromisedDue { get; set; }

    public DateTimeOffset? CaseStatutoryDue { get; set; }

    /// <summary>Since when the case awaits materials, while it does.</summary>
    public DateTimeOffset? CasePausedSince { get; set; }

    public DateTimeOffset? CaseDecidedAt { get; set; }

    /// <summary>When the follow-up of a bad rating is due; null when the rating opened none.</summary>
    public DateTimeOffset? FollowUpDue { get; set; }

    public DateTimeOffset? FollowUpClosedAt { get; set; }

    public static TicketFact From(TicketIssued issued, DateTimeOffset at) => new()
    {
        TicketId = issued.TicketId,
        Number = issued.Number,
        Matter = issued.Matter,
        ServiceDay = issued.ServiceDay,
        IssuedAt = at,
        Priority = issued.Priority,
        Channel = issued.Channel,
        State = TicketState.Waiting,
        TransferredFrom = issued.TransferredFrom,
    };

    /// <summary>Changes the fact by one of its ticket's journal events.</summary>
    public void Apply(JournalRecord record)
    {
        switch (record.Event)
        {
            case TicketCalled e:
                State = TicketState.Called;
                Window = e.Window;
                Clerk = e.Clerk;
                CalledAt = record.At;
                WaitSeconds = e.WaitSeconds;
                break;
            case TicketRecalled e:
                Recalls = e.Recalls;
                break;
            case ServiceStarted:
                State = TicketState.Serving;
                StartedAt = record.At;
                break;
            case ServiceCompleted e:
                Finish(TicketState.Completed, record.At);
                HandleSeconds = e.HandleSeconds;
                break;
            case TicketTransferred e:
                Finish(TicketState.Transferred, record.At);
                HandleSeconds = e.HandleSeconds;
                TransferredTo = e.NewTicketId;
                break;
            case TicketNoShow:
                Finish(TicketState.NoShow, record.At);
                break;
            case TicketCancelled:
                Finish(TicketState.Cancelled, record.At);
                break;
            case TicketExpired:
                Finish(TicketState.Expired, record.At);
                break;
            case TicketRated e:
                Score = e.Score;
                break;
            case CaseOpened e:
                CaseStage = CaseState.Accepted;
                CaseAcceptedAt = record.At;
                CasePromisedDue = e.PromisedDue;
                CaseStatutoryDue = e.StatutoryDue;
                break;
            case CaseStepped e:
                CaseStage = e.State;
                CasePromisedDue = e.PromisedDue;
                CaseStatutoryDue = e.StatutoryDue;
                CasePausedSince = e.Step == CaseStep.AwaitMaterials ? record.At : e.Step == CaseStep.Resume ? null : CasePausedSince;
                CaseDecidedAt = e.Step == CaseStep.Decide ? record.At : CaseDecidedAt;
                break;
            case FollowUpOpened e:
                FollowUpDue = e.Due;
                break;
            case FollowUpClosed:
                FollowUpClosedAt = record.At;
                break;
        }
    }

    private void Finish(TicketState state, DateTimeOffset at)
    {
        State = state;
        FinishedAt = at;
    }
}
