using HallMonitor.Runtime;

namespace HallMonitor.Grains;

/// <summary>
/// A ticket. Its record is the fold of its own journal events, read from the journal (so it is never
/// behind what a window or queue has acknowledged). While it waits its queue decides over it and while it
/// is at a window the window does; once finished, the ticket itself takes the visitor's rating.
/// </summary>
public sealed class TicketGrain(HallCatalog catalog, HallJournals journals, TimeProvider time) : Grain, ITicketGrain
{
    private const int CommentLimit = 500;
    private readonly TicketFold _fold = new();
    private Hall _hall = null!;
    private HallJournal _journal = null!;
    private string _ticketId = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (hallId, ticketId) = GrainKeys.Split(GetPrimaryKeyString());
        _hall = catalog.GetHall(hallId);
        _journal = journals.Get(hallId);
        _ticketId = ticketId;
        return Task.CompletedTask;
    }

    public async Task<TicketView> GetAsync()
    {
        await RefreshAsync();
        return View(withHistory: true);
    }

    public async Task<TicketView> CancelAsync(string actor)
    {
        await RefreshAsync();
        if (_fold.State != TicketState.Waiting)
        {
            throw new ConflictException($"Ticket {_fold.Number} is {Describe(_fold.State)}; only a waiting ticket can be cancelled.");
        }

        await GrainFactory.GetMatter(_hall.Id, _fold.Matter!).CancelAsync(_ticketId, actor);
        await RefreshAsync();
        return View(withHistory: false);
    }

    public async Task<TicketView> RateAsync(int score, string? comment, string actor)
    {
        if (score is < 1 or > 5)
        {
            throw new InvalidRequestException($"A rating is 1 to 5 (5 非常满意 … 1 非常不满意), not {score}.");
        }

        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment is { Length: > CommentLimit })
        {
            throw new InvalidRequestException($"A comment has at most {CommentLimit} characters.");
        }

        await RefreshAsync();
        if (_fold.State != TicketState.Completed)
        {
            throw new ConflictException($"Ticket {_fold.Number} is {Describe(_fold.State)}; only a completed service can be rated.");
        }

        if (_fold.Rating is not null)
        {
            throw new ConflictException($"Ticket {_fold.Number} was already rated {_fold.Rating.Score}.");
        }

        var rated = new TicketRated(_ticketId, _fold.Number!, _fold.Matter!, _fold.Window, _fold.Clerk, score, comment);
        var records = await _journal.AppendAsync([rated], _hall.LocalTime(time.GetUtcNow()), actor);
        _fold.Apply(records[0]);
        return View(withHistory: false);
    }

    /// <summary>Applies the ticket's journal events written since the last look.</summary>
    private async Task RefreshAsync()
    {
        if (TicketNumber.TryParseTicketId(_ticketId, out _))
        {
            var records = await _journal.ReadAsync(new JournalQuery { AfterSeq = _fold.AppliedSeq, TicketId = _ticketId, Limit = 10_000 });
            foreach (var record in records)
            {
                _fold.Apply(record);
            }
        }

        if (_fold.Number is null)
        {
            DeactivateOnIdle();
            throw NotFoundException.Ticket(_hall.Id, _ticketId);
        }
    }

    private TicketView View(bool withHistory)
    {
        var now = time.GetUtcNow();
        return new TicketView
        {
            TicketId = _ticketId,
            Number = _fold.Number!,
            Matter = _fold.Matter!,
            MatterName = _hall.TryGetMatter(_fold.Matter!, out var matter) ? matter.Name : null,
            Channel = _fold.Channel,
            Priority = _fold.Priority,
            State = _fold.State,
            IssuedAt = _fold.IssuedAt,
            CalledAt = _fold.CalledAt,
            StartedAt = _fold.StartedAt,
            FinishedAt = _fold.FinishedAt,
            Window = _fold.Window,
            Clerk = _fold.Clerk,
            Recalls = _fold.Recalls,
            WaitSeconds = Seconds(_fold.WaitSeconds ?? (_fold.State == TicketState.Waiting ? (now - _fold.IssuedAt).TotalSeconds : 0)),
            HandleSeconds = _fold.HandleSeconds is { } handled ? Seconds(handled)
                : _fold.State == TicketState.Serving && _fold.StartedAt is { } started ? Seconds((now - started).TotalSeconds)
                : null,
            Rating = _fold.Rating,
            TransferredFrom = _fold.TransferredFrom,
            TransferredTo = _fold.TransferredTo,
            History = withHistory ? [.. _fold.History] : null,
        };
    }

    private static double Seconds(double seconds) => Math.Round(Math.Max(0, seconds), 1);

    private static string Describe(TicketState state) => state switch
    {
        TicketState.NoShow => "marked a no-show",
        _ => state.ToString().ToLowerInvariant(),
    };
}

/// <summary>A ticket's record: the fold of its journal events.</summary>
internal sealed class TicketFold
{
    public long AppliedSeq { get; private set; }

    public string? Number { get; private set; }

    public string? Matter { get; private set; }

    public TicketChannel Channel { get; private set; }

    public bool Priority { get; private set; }

    public TicketState State { get; private set; }

    public DateTimeOffset IssuedAt { get; private set; }

    public DateTimeOffset? CalledAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public string? Window { get; private set; }

    public string? Clerk { get; private set; }

    public int Recalls { get; private set; }

    public double? WaitSeconds { get; private set; }

    public double? HandleSeconds { get; private set; }

    public TicketRating? Rating { get; private set; }

    public string? TransferredFrom { get; private set; }

    public string? TransferredTo { get; private set; }

    public List<TicketHistoryEntry> History { get; } = [];

    public void Apply(JournalRecord record)
    {
        if (record.Seq <= AppliedSeq)
        {
            return;
        }

        AppliedSeq = record.Seq;
        History.Add(new TicketHistoryEntry(record.Seq, record.At, record.Type, record.Actor, JournalEntry.From(record).Data, record.Hash));
        switch (record.Event)
        {
            case TicketIssued e:
                Number = e.Number;
                Matter = e.Matter;
                Channel = e.Channel;
                Priority = e.Priority;
                IssuedAt = record.At;
                TransferredFrom = e.TransferredFrom;
                State = TicketState.Waiting;
                break;
            case TicketCalled e:
                CalledAt = record.At;
                WaitSeconds = e.WaitSeconds;
                Window = e.Window;
                Clerk = e.Clerk;
                State = TicketState.Called;
                break;
            case TicketRecalled e:
                Recalls = e.Recalls;
                break;
            case ServiceStarted:
                StartedAt = record.At;
                State = TicketState.Serving;
                break;
            case ServiceCompleted e:
                Finish(TicketState.Completed, record.At);
                HandleSeconds = e.HandleSeconds;
                break;
            case TicketNoShow:
                Finish(TicketState.NoShow, record.At);
                break;
            case TicketCancelled:
                Finish(TicketState.Cancelled, record.At);
                break;
            case TicketTransferred e:
                Finish(TicketState.Transferred, record.At);
                HandleSeconds = e.HandleSeconds;
                TransferredTo = e.NewTicketId;
                break;
            case TicketExpired:
                Finish(TicketState.Expired, record.At);
                break;
            case TicketRated e:
                Rating = new TicketRating(e.Score, e.Comment, record.At);
                break;
        }
    }

    private void Finish(TicketState state, DateTimeOffset at)
    {
        State = state;
        FinishedAt = at;
    }
}
