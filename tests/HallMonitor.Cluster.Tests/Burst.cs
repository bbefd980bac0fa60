using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using HallMonitor.Grains;

namespace HallMonitor.Cluster.Tests;

/// <summary>
/// Kiosks issuing tickets in every hall through both web replicas while a silo dies: a few that issue back to back,
/// and a probe per hall that sends a new request every 100 ms whatever the others wait for, which times when the
/// hall answers again.
/// </summary>
internal sealed class Burst(HttpClient[] webs, ConcurrentBag<(string Hall, string TicketId, string Number)> acknowledged, int backToBack = 2)
{
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromMilliseconds(100);
    private readonly ConcurrentBag<Outcome> _outcomes = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _killedAt;

    /// <summary>Completes once every hall has answered one request.</summary>
    public Task Started => _started.Task;

    /// <summary>Answers that are neither a ticket (201) nor a 503 with problem details and <c>Retry-After</c>.</summary>
    public IReadOnlyList<string> Unexpected => [.. _outcomes.Where(o => o.Problem is not null).Select(o => $"{o.Hall}: {o.Problem}")];

    /// <summary>How many requests answered 503.</summary>
    public int Unavailable => _outcomes.Count(o => o.Status == HttpStatusCode.ServiceUnavailable);

    public void MarkKill(long timestamp) => Interlocked.Exchange(ref _killedAt, timestamp);

    /// <summary>Issues until <paramref name="after"/> has passed since the kill.</summary>
    public async Task RunAsync(TimeSpan warmUp, TimeSpan after)
    {
        var halls = CityCluster.HallIds;
        bool Running() => Interlocked.Read(ref _killedAt) is var killed && (killed == 0 || Stopwatch.GetElapsedTime(killed) < after);

        var first = new ConcurrentDictionary<string, bool>();
        async Task IssueAsync(string hall, int web)
        {
            var outcome = await IssueOnceAsync(webs[web % webs.Length], hall);
            _outcomes.Add(outcome);
            if (outcome.Status == HttpStatusCode.Created && first.TryAdd(hall, true) && first.Count == halls.Length)
            {
                _started.TrySetResult();
            }
        }

        async Task BackToBackAsync(string hall, int web)
        {
            while (Running())
            {
                await IssueAsync(hall, web++);
            }
        }

        async Task ProbeAsync(string hall)
        {
            var sent = new List<Task>();
            for (var web = 0; Running(); web++)
            {
                sent.Add(IssueAsync(hall, web));
                await Task.Delay(ProbeEvery);
            }

            await Task.WhenAll(sent);
        }

        await Task.WhenAll(halls.SelectMany(hall => Enumerable.Range(0, backToBack).Select(web => BackToBackAsync(hall, web)).Append(ProbeAsync(hall))));
    }

    /// <summary>How long after the kill a request sent after it first got its ticket, for <paramref name="hall"/>.</summary>
    public TimeSpan? ServingAgainAfterKill(string hall)
    {
        var killed = Interlocked.Read(ref _killedAt);
        var firsts = _outcomes
            .Where(o => o.Hall == hall && o.Status == HttpStatusCode.Created && o.Sent >= killed)
            .Select(o => Stopwatch.GetElapsedTime(killed, o.Answered))
            .Order()
            .ToList();
        return firsts.Count > 0 ? firsts[0] : null;
    }

    public string Summary() => string.Join("; ", CityCluster.HallIds.Select(hall =>
    {
        var mine = _outcomes.Where(o => o.Hall == hall).ToList();
        return $"{hall}: {mine.Count(o => o.Status == HttpStatusCode.Created)} issued, {mine.Count(o => o.Status == HttpStatusCode.ServiceUnavailable)} × 503, serving again {ServingAgainAfterKill(hall)?.TotalSeconds:0.00} s after the kill";
    }));

    private async Task<Outcome> IssueOnceAsync(HttpClient client, string hall)
    {
        var sent = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.PostAsJsonAsync($"/api/halls/{hall}/tickets", new { matter = "BIZ-REG" }, HallMonitorJson.Options);
            string? problem = null;
            if (response.StatusCode == HttpStatusCode.Created)
            {
                var ticket = (await response.Content.ReadFromJsonAsync<TicketView>(HallMonitorJson.Options))!;
                acknowledged.Add((hall, ticket.TicketId, ticket.Number));
            }
            else if (response.StatusCode != HttpStatusCode.ServiceUnavailable
                || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || response.Headers.RetryAfter is null)
            {
                problem = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }

            return new Outcome(hall, sent, Stopwatch.GetTimestamp(), response.StatusCode, problem);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return new Outcome(hall, sent, Stopwatch.GetTimestamp(), null, exception.Message);
        }
    }

    private sealed record Outcome(string Hall, long Sent, long Answered, HttpStatusCode? Status, string? Problem);
}
