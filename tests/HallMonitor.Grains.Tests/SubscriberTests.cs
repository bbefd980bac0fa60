namespace HallMonitor.Grains.Tests;

/// <summary>Live subscribers of a hall's journal (projections, the SignalR publisher) are bounded: a stalled one never grows without end.</summary>
public sealed class SubscriberTests
{
    [Fact]
    public async Task StalledSubscriber_KeepsTheOldestCommitsUpToItsBacklog_AndSeesTheGapAfterwards()
    {
        var journal = new HallJournal("test", new MemoryJournalStore());
        using var subscription = journal.Subscribe();
        var commits = HallJournal.SubscriberBacklog + 5;
        for (var i = 0; i < commits; i++)
        {
            await journal.AppendAsync([new WindowOpened("01", "王芳")], HallFixture.Morning, "王芳");
        }

        var kept = new List<JournalRecord>();
        while (subscription.Reader.TryRead(out var records))
        {
            kept.AddRange(records);
        }

        await journal.AppendAsync([new WindowClosed("01", "王芳")], HallFixture.Morning, "王芳");
        Assert.True(subscription.Reader.TryRead(out var next));

        Assert.Equal(Enumerable.Range(1, HallJournal.SubscriberBacklog).Select(i => (long)i), kept.Select(r => r.Seq));
        Assert.Equal(commits + 1, next.Single().Seq);
        Assert.Equal(commits + 1, journal.DurableSeq);
    }
}
