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
    public async Task<JsonElement?> PostAsync(string path, object? body, CancellationToken cancellationToken)
    {
        var uri = $"/api/halls/{Uri.EscapeDataString(hall)}/{path}";
        var action = path == "tickets" ? "issue" : path[(path.LastIndexOf('/') + 1)..];
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(uri, body ?? new { }, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && exception is HttpRequestException or TaskCanceledException)
        {
            // A dropped connection or a timeout is counted like a refusal: the day goes on.
            observe?.Invoke(new SimulatedCall(hall, action, null, Stopwatch.GetElapsedTime(started)));
            HallSimulator.LogNoAnswer(logger, "POST", uri, exception.Message);
            return null;
        }

        using (response)
        {
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
                HallSimulator.LogRefused(logger, "POST", uri, response.StatusCode);
            }

            observe?.Invoke(new SimulatedCall(hall, action, response.StatusCode, Stopwatch.GetElapsedTime(started)));
            return result;
        }
    }
}
