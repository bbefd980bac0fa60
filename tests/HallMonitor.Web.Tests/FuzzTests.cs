using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HallMonitor.Web.Tests;

/// <summary>
/// Thousands of random and mutated requests to every route of the app, valid operations among them. Replay a failure
/// with the printed seed: <c>HALLMONITOR_FUZZ_SEED=n dotnet test --filter FuzzTests</c>.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int MaxRequests = 6000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(25);
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];
    private static readonly string[] Matters = ["BIZ-REG", "TAX-INV", "RE-TRANS"];
    private static readonly string[] Clerks = ["王芳", "li.ming", "clerk_7", "zhao-1"];

    [Fact]
    public async Task RandomAndMutatedRequests_NeverFailTheServer_RejectedOnesChangeNothing_JournalsVerify()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("HALLMONITOR_FUZZ_SEED"), CultureInfo.InvariantCulture, out var given)
            ? given
            : Random.Shared.Next();
        output.WriteLine($"fuzz seed {seed} (replay with HALLMONITOR_FUZZ_SEED={seed})");
        var fuzz = new Fuzz(new Random(seed));
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var routes = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.StartsWith("/hubs", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new Route(m, e.RoutePattern)))
            .ToList();
        Assert.Contains(routes, r => r.Pattern.RawText!.Contains("{ticketId}/rating", StringComparison.Ordinal));
        output.WriteLine($"{routes.Count} routes: {string.Join(", ", routes.Select(r => $"{r.Method} {r.Pattern.RawText}"))}");

        var clock = Stopwatch.StartNew();
        var sent = 0;
        var rejectedChecked = 0;
        var statuses = new Dictionary<int, int>();
        while (sent < MaxRequests && clock.Elapsed < Budget)
        {
            var route = fuzz.Pick(routes);
            var mutated = fuzz.Chance(0.5);
            var (method, path, body, contentType) = fuzz.Request(route, mutated);
            var mutating = method != "GET" && method != "HEAD";
            var before = mutating ? await SeqAsync(client) : 0;

            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                if (contentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }
            }

            var described = $"seed {seed}, request {sent}: {method} {(path.Length > 300 ? path[..300] + "…" : path)} [{contentType}] {(body is { Length: > 300 } ? body[..300] + "…" : body)}";
            using var response = await client.SendAsync(request);
            sent++;
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status < 500, $"{(HttpStatusCode)status} for {described}: {text}");
            fuzz.Learn(text);

            if (status >= 400 && path.StartsWith("/api/", StringComparison.Ordinal) && method != "HEAD")
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{status} without problem details for {described}: {text}");
                Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()), $"no detail for {described}");
            }

            if (status >= 400 && mutating)
            {
                Assert.True(before == await SeqAsync(client), $"{status} changed the journal: {described}");
                rejectedChecked++;
            }
        }

        output.WriteLine($"{sent} requests in {clock.Elapsed.TotalSeconds:0.0} s; {rejectedChecked} rejected changes checked; statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(sent >= 1000, $"only {sent} requests in {Budget}");
        Assert.True(statuses.Keys.Any(s => s is 200 or 201), "no valid request succeeded");
        foreach (var hall in await client.GetFromJsonAsync<JsonElement[]>("/api/halls") ?? [])
        {
            var verification = await client.GetFromJsonAsync<JsonElement>($"/api/halls/{hall.GetProperty("id").GetString()}/journal/verify");
            Assert.True(verification.GetProperty("ok").GetBoolean(), $"journal of {hall} does not verify after seed {seed}: {verification}");
        }
    }

    private static async Task<long> SeqAsync(HttpClient client) => (await client.SnapshotAsync()).Seq;

    private sealed record Route(string Method, RoutePattern Pattern);

    /// <summary>Makes requests from one seeded random source, and remembers the ticket and alert ids the app answered.</summary>
    private sealed class Fuzz(Random random)
    {
        private static readonly string[] GroupBys = ["hall", "window", "clerk", "matter", "hour", "day"];
        private static readonly string[] Channels = ["kiosk", "online", "appointment", "remote"];
        private static readonly string[] WrongContentTypes = ["text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data", "application/json; charset=latin1"];
        private static readonly string[] TrailingGarbage = ["x", "}", " {}", "//", "\u0000"];
        private static readonly string[] FieldNames = ["extra", "Matter", "score", "clerk", "by", "comment", "priority"];
        private static readonly string[] JunkStrings = ["", " ", "\t", "KIOSK", "fax", "1", "<script>", "王 芳", "a\u0001b", "\u202Eevil"];

        private readonly List<string> _tickets = [];
        private readonly List<string> _alerts = [];

        public bool Chance(double p) => random.NextDouble() < p;

        public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

        public (string Method, string Path, string? Body, string? ContentType) Request(Route route, bool mutated)
        {
            var method = mutated && Chance(0.1) ? Pick(Methods) : route.Method;
            var path = new StringBuilder();
            foreach (var segment in route.Pattern.PathSegments)
            {
                path.Append('/');
                foreach (var part in segment.Parts)
                {
                    path.Append(part switch
                    {
                        RoutePatternLiteralPart literal => literal.Content,
                        RoutePatternParameterPart parameter => mutated && Chance(0.3) ? JunkSegment() : Uri.EscapeDataString(Valid(parameter.Name)),
                        _ => "",
                    });
                }
            }

            var query = Query(route.Pattern.RawText!, mutated);
            var (body, contentType) = Body(route.Pattern.RawText!, mutated);
            return (method, path.ToString() + query, body, contentType);
        }

        public void Learn(string response)
        {
            if (!response.StartsWith('{') && !response.StartsWith('['))
            {
                return;
            }

            try
            {
                Collect(JsonNode.Parse(response));
            }
            catch (JsonException)
            {
            }
        }

        private void Collect(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["ticketId"] is JsonValue t && t.TryGetValue<string>(out var ticket) && !_tickets.Contains(ticket))
                    {
                        _tickets.Add(ticket);
                    }

                    if (o["alertId"] is JsonValue a && a.TryGetValue<string>(out var alert) && !_alerts.Contains(alert))
                    {
                        _alerts.Add(alert);
                    }

                    foreach (var (_, child) in o)
                    {
                        Collect(child);
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        Collect(child);
                    }

                    break;
            }
        }

        private string Valid(string parameter) => parameter switch
        {
            "hall" => TestHalls.HallId,
            "window" => random.Next(1, 13).ToString("00", CultureInfo.InvariantCulture),
            "ticketId" when _tickets.Count > 0 && Chance(0.9) => Pick(_tickets),
            "ticketId" => DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-A" + random.Next(1, 999).ToString("000", CultureInfo.InvariantCulture),
            "alertId" when _alerts.Count > 0 && Chance(0.9) => Pick(_alerts),
            _ => "x" + random.Next(100),
        };

        private string JunkSegment() => random.Next(9) switch
        {
            0 => Uri.EscapeDataString(Unicode(random.Next(1, 20)).Replace("\0", "", StringComparison.Ordinal)), // the test server refuses NUL in a path; Kestrel answers 400 itself
            1 => new string('A', random.Next(65, 12_000)),
            2 => "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            3 => "..%2F..%2Fjournal",
            4 => "%FF%FE%C0%AF",
            5 => "%25" + random.Next(),
            6 => Uri.EscapeDataString(" " + Pick(Matters) + " "),
            7 => DateTime.UtcNow.AddDays(random.Next(-5000, 5000)).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + (char)('A' + random.Next(26)) + random.Next(0, 1_000_000),
            _ => "null",
        };

        private string Query(string pattern, bool mutated)
        {
            var pairs = new List<string>();
            void Add(string name, string value)
            {
                if (!mutated || Chance(0.7))
                {
                    pairs.Add($"{name}={Uri.EscapeDataString(mutated && Chance(0.4) ? JunkValue() : value)}");
                }
            }

            if (pattern.Contains("journal", StringComparison.Ordinal))
            {
                Add("fromSeq", random.Next(1, 200).ToString(CultureInfo.InvariantCulture));
                Add("limit", random.Next(1, 1001).ToString(CultureInfo.InvariantCulture));
            }
            else if (pattern.Contains("alerts", StringComparison.Ordinal))
            {
                Add("state", Chance(0.5) ? "open" : "all");
            }
            else if (pattern.Contains("reports", StringComparison.Ordinal))
            {
                var today = DateOnly.FromDateTime(DateTime.UtcNow);
                Add("from", today.AddDays(-random.Next(0, 30)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                Add("to", today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                Add("groupBy", Pick(GroupBys));
                Add("format", Chance(0.8) ? "json" : "csv");
            }

            if (mutated && Chance(0.2))
            {
                pairs.Add($"{Uri.EscapeDataString(Unicode(5))}={Uri.EscapeDataString(JunkValue())}");
            }

            return pairs.Count == 0 ? "" : "?" + string.Join('&', pairs);
        }

        private (string? Body, string? ContentType) Body(string pattern, bool mutated)
        {
            JsonObject? body = pattern switch
            {
                _ when pattern.EndsWith("/tickets", StringComparison.Ordinal) || pattern.EndsWith("/tickets/", StringComparison.Ordinal) =>
                    new JsonObject { ["matter"] = Pick(Matters), ["channel"] = Pick(Channels), ["priority"] = Chance(0.2) },
                _ when pattern.EndsWith("/rating", StringComparison.Ordinal) => new JsonObject { ["score"] = random.Next(1, 6), ["comment"] = Chance(0.5) ? "很好" : null },
                _ when pattern.EndsWith("/open", StringComparison.Ordinal) => new JsonObject { ["clerk"] = Pick(Clerks) },
                _ when pattern.EndsWith("/pause", StringComparison.Ordinal) || pattern.EndsWith("/resume", StringComparison.Ordinal) || pattern.EndsWith("/close", StringComparison.Ordinal) =>
                    Chance(0.5) ? new JsonObject { ["clerk"] = Pick(Clerks) } : null,
                _ when pattern.EndsWith("/transfer", StringComparison.Ordinal) => new JsonObject { ["matter"] = Pick(Matters) },
                _ when pattern.EndsWith("/ack", StringComparison.Ordinal) => new JsonObject { ["by"] = "supervisor" },
                _ => null,
            };

            if (!mutated)
            {
                return body is null ? (null, null) : (body.ToJsonString(), "application/json");
            }

            return random.Next(10) switch
            {
                0 => (null, null),
                1 => (Unicode(random.Next(0, 50)), "application/json"),
                2 => ("{\"matter\":\"BIZ-REG\"", "application/json"),
                3 => (body?.ToJsonString() ?? "{}", Pick(WrongContentTypes)),
                4 => ((body?.ToJsonString() ?? "{}") + Pick(TrailingGarbage), "application/json"),
                5 => ("{\"" + Unicode(3) + "\":1," + (body?.ToJsonString() ?? "{}")[1..], "application/json"),
                6 => (JsonSerializer.Serialize(new { matter = new string('x', random.Next(1000, 20_000)) }), "application/json"),
                _ => (Mutate(body ?? new JsonObject { ["matter"] = "BIZ-REG" }).ToJsonString(), "application/json"),
            };
        }

        private JsonObject Mutate(JsonObject body)
        {
            var names = body.Select(p => p.Key).ToList();
            if (names.Count == 0 || Chance(0.2))
            {
                body[Pick(FieldNames)] = JunkNode();
                return body;
            }

            var name = Pick(names);
            if (Chance(0.2))
            {
                body.Remove(name);
            }
            else
            {
                body[name] = JunkNode();
            }

            return body;
        }

        private JsonNode? JunkNode() => random.Next(10) switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next(int.MinValue, int.MaxValue)),
            2 => JsonValue.Create(random.NextDouble() * 1e12),
            3 => JsonValue.Create(Chance(0.5)),
            4 => new JsonArray(JsonValue.Create(1), JsonValue.Create("a")),
            5 => new JsonObject { ["nested"] = Unicode(4) },
            6 => JsonValue.Create(new string('字', random.Next(30, 4000))),
            7 => JsonValue.Create(Pick(JunkStrings)),
            _ => JsonValue.Create(Unicode(random.Next(1, 40))),
        };

        private string JunkValue() => random.Next(6) switch
        {
            0 => "",
            1 => new string('9', random.Next(20, 5000)),
            2 => "-1",
            3 => Unicode(random.Next(1, 30)),
            4 => "1e3",
            _ => "2026-13-45",
        };

        /// <summary>Random code points from all planes (no lone surrogates: the client cannot send them as UTF-8).</summary>
        private string Unicode(int length)
        {
            var text = new StringBuilder();
            for (var i = 0; i < length; i++)
            {
                var codePoint = random.Next(4) switch
                {
                    0 => random.Next(0, 0x80),
                    1 => random.Next(0x4E00, 0xA000),
                    2 => random.Next(0x10000, 0x10FFFF),
                    _ => random.Next(0x80, 0xD800),
                };
                text.Append(char.ConvertFromUtf32(codePoint));
            }

            return text.ToString();
        }
    }
}
