using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace HallMonitor.Web;

/// <summary>
/// One call the simulator made: the hall, the action (<c>issue</c>, or the last segment of the path: <c>call-next</c>,
/// <c>complete</c>, <c>rating</c>…), the status it answered (null: no answer at all) and how long it took.
/// </summary>
public readonly record struct SimulatedCall(string Hall, string Action, HttpStatusCode? Status, TimeSpan Latency);

/// <summary>
/// The calls the simulator makes, under <c>/api/halls/{hall}</c>; a refused call, or one that got no answer, answers
/// null, and <paramref name="observe"/> hears of every call (the bench's load driver counts them).
/// </summary>
public sealed class SimulatedApi(HttpClient http, string hall, ILogger logger, Action<SimulatedCall>? observe = null)
{
    /// <summary>What the last call answered (null: no answer); a hall's calls go one after another.</summary>
    public HttpStatusCode? LastStatus { get; private set; }

    public Task<JsonElement?> PostAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, path == "tickets" ? "issue" : path[(path.LastIndexOf('/') + 1)..], body ?? new { }, cancellationToken);

    /// <summary>Reads under the hall, e.g. <c>windows/05</c>; <paramref name="action"/> names the call in the counts.</summary>
    public Task<JsonElement?> GetAsync(string path, string action, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, action, body: null, cancellationToken);

    private async Task<JsonElement?> SendAsync(HttpMethod method, string path, string action, object? body, CancellationToken cancellationToken)
    {
        var uri = $"/api/halls/{Uri.EscapeDataString(hall)}/{path}";
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(method, uri) { Content = body is null ? null : JsonContent.Create(body) };
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && exception is HttpRequestException or TaskCanceledException)
        {
            // A dropped connection or a timeout is counted like a refusal: the day goes on.
            LastStatus = null;
            observe?.Invoke(new SimulatedCall(hall, action, null, Stopwatch.GetElapsedTime(started)));
            HallSimulator.LogNoAnswer(logger, method.Method, uri, exception.Message);
            return null;
        }

        using (response)
        {
            LastStatus = response.StatusCode;
            JsonElement? result = null;
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                result = default(JsonElement);
            }
            else if (response.IsSuccessStatusCode)
            {
                result = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            }
            else
            {
                HallSimulator.LogRefused(logger, method.Method, uri, response.StatusCode);
            }

            observe?.Invoke(new SimulatedCall(hall, action, response.StatusCode, Stopwatch.GetElapsedTime(started)));
            return result;
        }
    }
}
