using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using HallMonitor.Grains;
using Orleans.Runtime.Messaging;

namespace HallMonitor.Web.Tests;

/// <summary>
/// While the grains of a hall cannot be reached, its calls answer 503 with problem details and <c>Retry-After</c>,
/// never 500. The failures are raised inside the silo's call pipeline, so they travel back to the endpoint the way
/// Orleans delivers them.
/// </summary>
public sealed class UnreachableHallTests
{
    private const string Unreachable = "The hall cannot be reached right now; nothing was changed. Try again in a few seconds.";
    private const string NoAnswerInTime = "The hall did not answer in time. The request may or may not have taken effect; check before retrying.";
    private const string SiloGone = "The hall's silo stopped answering. The request may or may not have taken effect; check before retrying.";
    private const string TurnedAway = "The hall's silo turned the request away. The request may or may not have taken effect; check before retrying.";
    private const string JournalDown = "The journal of hall 'xinqu' could not be written; nothing was changed.";

    public static TheoryData<string, string> Failures => new()
    {
        { nameof(TimeoutException), NoAnswerInTime },
        { nameof(SiloUnavailableException), SiloGone },
        { nameof(OperationCanceledException), NoAnswerInTime },
        { nameof(OrleansMessageRejectionException), TurnedAway },
        { nameof(ConnectionFailedException), Unreachable },
        { nameof(GatewayTooBusyException), Unreachable },
        { nameof(JournalUnavailableException), JournalDown },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task OrleansFailureWhileIssuing_Is503WithRetryAfter_AndJournalsNothing(string failure, string detail)
    {
        await using var api = new ApiFactory();
        var client = api.With(GrainCallFault.Failing<IMatterGrain>(nameof(IMatterGrain.IssueAsync), () => Exception(failure))).CreateClient();
        var before = await client.VerifyJournalAsync();

        var response = await client.PostAsJsonAsync($"{Api.Hall}/tickets", new { matter = "BIZ-REG" }, Api.Json);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var after = await client.VerifyJournalAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal(before.Events, after.Events);
        Assert.True(after.Ok);
    }

    [Fact]
    public async Task CallPastTheResponseTimeout_Is503WithRetryAfter_AndTheLateCompletionStillIssuesTheTicket()
    {
        var hold = GrainCallFault.Holding<IMatterGrain>(nameof(IMatterGrain.IssueAsync));
        await using var api = new ApiFactory();
        var client = api.With(hold, responseTimeout: TimeSpan.FromSeconds(1)).CreateClient();
        var before = await client.VerifyJournalAsync();

        var response = await client.PostAsJsonAsync($"{Api.Hall}/tickets", new { matter = "BIZ-REG" }, Api.Json);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var afterTimeout = await client.VerifyJournalAsync();

        // Orleans does not cancel a call that timed out (CancelRequestOnTimeout is off, IssueAsync takes no token):
        // the grain runs on when released, and Orleans drops its late response as expired.
        hold.Release();
        var late = Assert.IsType<TicketView>(await hold.Completed.WaitAsync(TimeSpan.FromSeconds(30)));
        var afterCompletion = await client.VerifyJournalAsync();
        var ticket = await client.GetAsync<TicketView>($"{Api.Hall}/tickets/{late.TicketId}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(NoAnswerInTime, problem.GetProperty("detail").GetString());
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal(before.Events, afterTimeout.Events);
        Assert.Equal(before.Events + 1, afterCompletion.Events);
        Assert.Equal(TicketState.Waiting, ticket.State);
        Assert.Equal("BIZ-REG", ticket.Matter);
    }

    /// <summary>A new exception of the kind Orleans (or the journal) raises when the hall is out of reach.</summary>
    private static Exception Exception(string failure) => failure switch
    {
        nameof(TimeoutException) => new TimeoutException("Response did not arrive on time in 00:00:30."),
        nameof(SiloUnavailableException) => new SiloUnavailableException("The target silo became unavailable for message: Request IMatterGrain.IssueAsync."),

        // Orleans raises this one itself; its constructors are internal.
        nameof(OrleansMessageRejectionException) => (Exception)Activator.CreateInstance(
            typeof(OrleansMessageRejectionException),
            BindingFlags.Instance | BindingFlags.NonPublic,
            binder: null,
            args: ["Forwarding failed: tried to forward message IMatterGrain.IssueAsync 2 times."],
            culture: null)!,
        nameof(OperationCanceledException) => new OperationCanceledException("Message expired before placement could complete for grain matter/xinqu/BIZ-REG."),
        nameof(ConnectionFailedException) => new ConnectionFailedException("Unable to connect to S127.0.0.1:11111:0."),
        nameof(GatewayTooBusyException) => new GatewayTooBusyException("Shedding load: the gateway is too busy."),
        nameof(JournalUnavailableException) => new JournalUnavailableException(JournalDown, JournalUnavailableException.Describe(new IOException("database is locked"))),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };
}
