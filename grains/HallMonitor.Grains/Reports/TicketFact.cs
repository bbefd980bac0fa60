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
        }
    }

    private void Finish(TicketState state, DateTimeOffset at)
    {
        State = state;
        FinishedAt = at;
    }
}
