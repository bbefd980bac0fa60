using Microsoft.Extensions.Logging;

namespace HallMonitor.Grains;

/// <summary>
/// A ticket. Its record is the fold of its own journal events, read from the journal (so it is never
/// behind what a window or queue has acknowledged). While it waits its queue decides over it and while it
/// is at a window the window does; once finished, the ticket itself takes the visitor's rating.
/// </summary>
public sealed partial class TicketGrain(HallCatalog catalog, HallJournals journals, TimeProvider time, ILogger<TicketGrain> logger) : Grain, ITicketGrain
{
    private const int CommentLimit = 500;

    /// <summary>Ratings up to this score open a follow-up.</summary>
    public const int FollowUpScore = 2;
    private readonly TicketFold _fold = new();
    private Hall _hall = null!;
    private HallJournal _journal = null!;
    private string _ticketId = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (hallId, ticketId) = GrainKeys.Split(this.GetPrimaryKeyString());
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
        var ticket = _fold.Fact!;
        if (ticket.State != TicketState.Waiting)
        {
            throw new ConflictException($"Ticket {ticket.Number} is {Describe(ticket.State)}; only a waiting ticket can be cancelled.");
        }

        await GrainFactory.GetMatter(_hall.Id, ticket.Matter).CancelAsync(_ticketId, actor);
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
        var ticket = _fold.Fact!;
        if (ticket.State != TicketState.Completed)
        {
            throw new ConflictException($"Ticket {ticket.Number} is {Describe(ticket.State)}; only a completed service can be rated.");
        }

        if (_fold.Rating is not null)
        {
            throw new ConflictException($"Ticket {ticket.Number} was already rated {_fold.Rating.Score}.");
        }

        var now = time.GetUtcNow();
        List<HallEvent> events = [new TicketRated(_ticketId, ticket.Number, ticket.Matter, ticket.Window, ticket.Clerk, score, comment)];
        if (score <= FollowUpScore && FollowUpDue(now) is { } due)
        {
            // 不满意 or 非常不满意: a supervisor follows it up within the hall's follow-up days (差评整改), opened with the rating.
            events.Add(new FollowUpOpened(_ticketId, ticket.Number, ticket.Matter, _ticketId, ticket.Window, score, comment, due));
        }

        var records = (await GrainFactory.GetHall(_hall.Id).AppendAsync(new JournalAppend(events, _hall.LocalTime(now), actor, []))).Records;
        foreach (var record in records)
        {
            _fold.Apply(record);
        }
        return View(withHistory: false);
    }

    /// <summary>
    /// When a follow-up opened now is due; null when that falls in a year the hall's calendar does not cover: the
    /// visitor's rating is taken all the same, and the warning names the year to add.
    /// </summary>
    private DateTimeOffset? FollowUpDue(DateTimeOffset now)
    {
        try
        {
            return _hall.Deadline(now, _hall.Definition.FollowUpDays);
        }
        catch (CalendarYearNotCoveredException exception)
        {
            LogFollowUpNotOpened(logger, _ticketId, exception.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {TicketId} was rated without opening its follow-up: {Problem}")]
    private static partial void LogFollowUpNotOpened(ILogger logger, string ticketId, string problem);

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

        if (_fold.Fact is null)
        {
            DeactivateOnIdle();
            throw NotFoundException.Ticket(_hall.Id, _ticketId);
        }
    }

    private TicketView View(bool withHistory)
    {
        var now = time.GetUtcNow();
        var ticket = _fold.Fact!;
        return new TicketView
        {
            TicketId = _ticketId,
            Number = ticket.Number,
            Matter = ticket.Matter,
            MatterName = _hall.TryGetMatter(ticket.Matter, out var matter) ? matter.Name : null,
            Channel = ticket.Channel,
            Priority = ticket.Priority,
            State = ticket.State,
            IssuedAt = ticket.IssuedAt,
            CalledAt = ticket.CalledAt,
            StartedAt = ticket.StartedAt,
            FinishedAt = ticket.FinishedAt,
            Window = ticket.Window,
            Clerk = ticket.Clerk,
            Recalls = ticket.Recalls,
            WaitSeconds = Seconds(ticket.WaitSeconds ?? (ticket.State == TicketState.Waiting ? (now - ticket.IssuedAt).TotalSeconds : 0)),
            HandleSeconds = ticket.HandleSeconds is { } handled ? Seconds(handled)
                : ticket.State == TicketState.Serving && ticket.StartedAt is { } started ? Seconds((now - started).TotalSeconds)
                : null,
            Rating = _fold.Rating,
            TransferredFrom = ticket.TransferredFrom,
            TransferredTo = ticket.TransferredTo,
            History = withHistory ? [.. _fold.History] : null,
            CaseId = _fold.CaseId,
        };
    }

    private static double Seconds(double seconds) => Math.Round(Math.Max(0, seconds), 1);

    private static string Describe(TicketState state) => state switch
    {
        TicketState.NoShow => "marked a no-show",
        _ => state.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// A ticket's record: the same fold of its journal events as the reports' <see cref="TicketFact"/>, plus what
/// the ticket's own view shows besides: the rating's comment and time, and the history.
/// </summary>
internal sealed class TicketFold
{
    public long AppliedSeq { get; private set; }

    /// <summary>Null until the ticket's <see cref="TicketIssued"/> event is seen.</summary>
    public TicketFact? Fact { get; private set; }

    public TicketRating? Rating { get; private set; }

    /// <summary>The case the ticket's service opened, if any.</summary>
    public string? CaseId { get; private set; }

    public List<TicketHistoryEntry> History { get; } = [];

    public void Apply(JournalRecord record)
    {
        if (record.Seq <= AppliedSeq)
        {
            return;
        }

        AppliedSeq = record.Seq;
        History.Add(new TicketHistoryEntry(record.Seq, record.At, record.Type, record.Actor, EventCodec.Shown(record), record.Hash));
        if (record.Event is CaseOpened opened)
        {
            CaseId = opened.CaseId;
        }

        if (record.Event is TicketIssued issued)
        {
            Fact = TicketFact.From(issued, record.At);
            return;
        }

        Fact?.Apply(record);
        if (record.Event is TicketRated rated)
        {
            Rating = new TicketRating(rated.Score, rated.Comment, record.At);
        }
    }
}
