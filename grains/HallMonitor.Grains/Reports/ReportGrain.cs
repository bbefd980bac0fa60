
namespace HallMonitor.Grains;

/// <summary>
/// A hall's reports. It projects the journal into ticket facts (one per ticket leg, stored by service day,
/// written together with the journal position they reflect) and computes summaries from the facts of the
/// requested days, so a month of a busy year reads a month of facts, not a year of events.
/// </summary>
public sealed class ReportGrain(HallCatalog catalog, HallJournals journals, IReportStore store, TimeProvider time) : Grain, IReportGrain
{
    private const int Page = 5000;

    /// <summary>Facts of tickets seen recently; a rating can still come for them.</summary>
    private readonly Dictionary<string, TicketFact> _recent = new(StringComparer.Ordinal);
    private Hall _hall = null!;
    private HallJournal _journal = null!;
    private long _position;
    private DateOnly _recentDay;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _hall = catalog.GetHall(this.GetPrimaryKeyString());
        _journal = journals.Get(_hall.Id);
        _position = await store.ReadPositionAsync(_hall.Id);
    }

    public async Task<SummaryReport> GetSummaryAsync(DateOnly from, DateOnly to, ReportGrouping groupBy)
    {
        await CatchUpAsync(await _journal.ReadDurableEndAsync());
        var facts = await store.ReadFactsAsync(_hall.Id, from, to);
        return new SummaryReport
        {
            Hall = _hall.Id,
            From = from,
            To = to,
            GroupBy = groupBy,
            Seq = _position,
            Rows = SummaryBuilder.Rows(_hall, facts, groupBy, time.GetUtcNow()),
        };
    }

    public async Task<PeakReport> GetPeaksAsync(DateOnly from, DateOnly to)
    {
        await CatchUpAsync(await _journal.ReadDurableEndAsync());
        return new PeakReport { Hall = _hall.Id, From = from, To = to, Issued = SummaryBuilder.Peaks(await store.ReadFactsAsync(_hall.Id, from, to)) };
    }

    public async Task<DistributionReport> GetDistributionAsync(DateOnly from, DateOnly to)
    {
        await CatchUpAsync(await _journal.ReadDurableEndAsync());
        var facts = await store.ReadFactsAsync(_hall.Id, from, to);
        return new DistributionReport
        {
            Hall = _hall.Id,
            From = from,
            To = to,
            BucketMinutes = SummaryBuilder.BucketMinutes,
            Wait = SummaryBuilder.Distribution(facts.Where(f => f.WaitSeconds is not null).Select(f => f.WaitSeconds!.Value)),
            Handle = SummaryBuilder.Distribution(facts.Where(f => f.HandleSeconds is not null).Select(f => f.HandleSeconds!.Value)),
        };
    }

    public async Task<CaseReport> GetCasesAsync(DateOnly from, DateOnly to)
    {
        await CatchUpAsync(await _journal.ReadDurableEndAsync());
        var facts = await store.ReadFactsAsync(_hall.Id, from, to);
        return CaseReportBuilder.Build(_hall, facts, time.GetUtcNow()) with { From = from, To = to, Seq = _position };
    }

    public async Task<IReadOnlyList<MatterDay>> GetMatterDaysAsync(DateOnly from, DateOnly to)
    {
        await CatchUpAsync(await _journal.ReadDurableEndAsync());
        return MatterDays.From(_hall, await store.ReadFactsAsync(_hall.Id, from, to));
    }

    public async Task ApplyCommittedAsync(IReadOnlyList<JournalRecord> records)
    {
        if (records.Count == 0 || records[^1].Seq <= _position)
        {
            return;
        }

        if (records[0].Seq > _position + 1)
        {
            // Something was missed (a restart, a failed delivery): read it from the journal instead.
            await CatchUpAsync(records[^1].Seq);
            return;
        }

        await ApplyAsync(records);
    }

    /// <summary>Projects the journal events after the stored position, up to <paramref name="seq"/>.</summary>
    private async Task CatchUpAsync(long seq)
    {
        while (_position < seq)
        {
            var records = await _journal.ReadAsync(new JournalQuery { AfterSeq = _position, Limit = Page });
            if (records.Count == 0)
            {
                return;
            }

            await ApplyAsync(records);
        }
    }

    private async Task ApplyAsync(IReadOnlyList<JournalRecord> records)
    {
        var changed = new Dictionary<string, TicketFact>(StringComparer.Ordinal);
        foreach (var record in records.Where(r => r.Seq > _position))
        {
            if (record.Decoded() is not ITicketEvent ticketEvent)
            {
                continue;
            }

            if (record.Event is TicketIssued issued)
            {
                changed[issued.TicketId] = _recent[issued.TicketId] = TicketFact.From(issued, record.At);
                continue;
            }

            var fact = changed.GetValueOrDefault(ticketEvent.TicketId) ?? _recent.GetValueOrDefault(ticketEvent.TicketId)
                ?? await store.ReadFactAsync(_hall.Id, ticketEvent.TicketId);
            if (fact is null)
            {
                continue;
            }

            fact.Apply(record);
            changed[fact.TicketId] = _recent[fact.TicketId] = fact;
        }

        var position = records[^1].Seq;
        await store.WriteAsync(_hall.Id, changed.Values, position);
        _position = position;
        ForgetOldDays();
    }

    /// <summary>Keeps the recent facts to the current service day; older ones are read from the store when needed.</summary>
    private void ForgetOldDays()
    {
        var today = _hall.ServiceDay(time.GetUtcNow());
        if (today == _recentDay)
        {
            return;
        }

        _recentDay = today;
        foreach (var old in _recent.Values.Where(f => f.ServiceDay < today).Select(f => f.TicketId).ToList())
        {
            _recent.Remove(old);
        }
    }
}
