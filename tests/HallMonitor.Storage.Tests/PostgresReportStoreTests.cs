using Npgsql;

namespace HallMonitor.Storage.Tests;

/// <summary>Ticket facts in PostgreSQL: facts and the journal position they reflect are written together or not at all.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresReportStoreTests(SharedPostgres postgres)
{
    private const string Hall = "test";

    [Fact]
    public async Task Write_StoresFactsAndPosition_ReadableByTicketAndByDay()
    {
        await using var store = SharedPostgres.Open(await postgres.NewDatabaseAsync());
        var reports = new PostgresReportStore(store);

        await reports.WriteAsync(Hall, [Fact("A001", 23), Fact("A002", 24), Fact("A003", 25)], 12);
        await reports.WriteAsync(Hall, [Fact("A002", 24, TicketState.Completed)], 15);

        Assert.Equal(15, await reports.ReadPositionAsync(Hall));
        Assert.Equal(0, await reports.ReadPositionAsync("other"));
        Assert.Equal(TicketState.Completed, (await reports.ReadFactAsync(Hall, "20261124-A002"))!.State);
        Assert.Null(await reports.ReadFactAsync(Hall, "20261124-A009"));
        Assert.Equal(["20261123-A001", "20261124-A002"], (await reports.ReadFactsAsync(Hall, new(2026, 11, 23), new(2026, 11, 24))).Select(f => f.TicketId).Order());
    }

    [Fact]
    public async Task Write_ThatTheDatabaseRefuses_StoresNeitherFactsNorPosition()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var store = SharedPostgres.Open(database);
        var reports = new PostgresReportStore(store);
        await reports.WriteAsync(Hall, [Fact("A001", 23)], 3);

        // The facts are valid; only the position is not: an atomic write stores neither.
        await SharedPostgres.QueryAsync(database, "ALTER TABLE report_positions ADD CONSTRAINT test_no_negative CHECK (position >= 0)");
        await Assert.ThrowsAsync<PostgresException>(() => reports.WriteAsync(Hall, [Fact("A001", 23, TicketState.Completed), Fact("A002", 23)], -1));

        Assert.Equal(3, await reports.ReadPositionAsync(Hall));
        Assert.Equal(TicketState.Waiting, (await reports.ReadFactAsync(Hall, "20261123-A001"))!.State);
        Assert.Null(await reports.ReadFactAsync(Hall, "20261123-A002"));
    }

    [Fact]
    public async Task Write_KeepsACasesAndAFollowUpsFacts_WithTheirTimesAndOffsets()
    {
        await using var store = SharedPostgres.Open(await postgres.NewDatabaseAsync());
        var reports = new PostgresReportStore(store);
        var accepted = new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.FromHours(8));
        var fact = Fact("C001", 23, TicketState.Completed);
        fact.CaseStage = CaseState.Decided;
        fact.CaseAcceptedAt = accepted;
        fact.CasePromisedDue = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.FromHours(8));
        fact.CaseStatutoryDue = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8));
        fact.CaseDecidedAt = accepted.AddDays(2);
        fact.FollowUpDue = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8));
        fact.FollowUpClosedAt = accepted.AddDays(1);

        await reports.WriteAsync(Hall, [fact], 7);
        var read = (await reports.ReadFactAsync(Hall, fact.TicketId))!;

        Assert.Equal(
            (fact.CaseStage, fact.CaseAcceptedAt, fact.CasePromisedDue, fact.CaseStatutoryDue, fact.CaseDecidedAt, fact.FollowUpDue, fact.FollowUpClosedAt),
            (read.CaseStage, read.CaseAcceptedAt, read.CasePromisedDue, read.CaseStatutoryDue, read.CaseDecidedAt, read.FollowUpDue, read.FollowUpClosedAt));
        Assert.Equal(TimeSpan.FromHours(8), read.CaseDecidedAt!.Value.Offset);
    }

    private static TicketFact Fact(string number, int day, TicketState state = TicketState.Waiting) => new()
    {
        TicketId = $"202611{day}-{number}",
        Number = number,
        Matter = "BIZ-REG",
        ServiceDay = new DateOnly(2026, 11, day),
        IssuedAt = new DateTimeOffset(2026, 11, day, 9, 0, 0, TimeSpan.FromHours(8)),
        State = state,
    };
}
