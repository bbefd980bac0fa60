using System.Collections.Concurrent;
using System.Net.Http.Headers;
using HallMonitor.Grains;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HallMonitor.Web.Tests;

/// <summary>
/// The web application with an <c>auth</c> section: one token per role (and a clerk and a supervisor of other
/// windows and halls), and every log line it writes at any level kept for inspection.
/// </summary>
public sealed class AccessFixture : IAsyncLifetime
{
    /// <summary>The tokens, by the name each acts under.</summary>
    public static readonly IReadOnlyDictionary<string, (string Token, TokenDefinition Definition)> Tokens = new[]
    {
        Token("kiosk-east", Roles.Kiosk, TestHalls.HallId),
        Token("张三", Roles.Clerk, TestHalls.HallId, "01"),
        Token("李四", Roles.Clerk, TestHalls.HallId, "02"),
        Token("wall-1", Roles.Display, TestHalls.HallId),
        Token("王主任", Roles.Supervisor, TestHalls.HallId),
        Token("宽城主任", Roles.Supervisor, TestHalls.OtherHallId),
        Token("审计组", Roles.Auditor, hall: null),
        Token("admin", Roles.Admin, hall: null),
        Token("prometheus", Roles.Scrape, hall: null),
    }.ToDictionary(t => t.Definition.Name!, t => t);

    public ApiFactory Factory { get; private set; } = null!;

    public ConcurrentQueue<string> Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Factory = new LoggedFactory(new AuthDefinition { Tokens = [.. Tokens.Values.Select(t => t.Definition)] }, Logs);
        using var warmUp = Factory.CreateClient();
        (await warmUp.GetAsync("/readyz")).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A client that sends the named token (or none for null).</summary>
    public HttpClient Client(string? name)
    {
        var client = Factory.CreateClient();
        if (name is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens[name].Token);
        }

        return client;
    }

    private static (string Token, TokenDefinition Definition) Token(string name, string role, string? hall, string? window = null)
    {
        var token = $"test-{role}-{Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(name))}-secret";
        return (token, new TokenDefinition { Sha256 = AccessTokens.Hash(token), Role = role, Name = name, Hall = hall, Window = window });
    }

    private sealed class LoggedFactory(AuthDefinition auth, ConcurrentQueue<string> logs) : ApiFactory(auth: auth)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);

            // Everything ASP.NET Core and SignalR would write at their most talkative, to show no token reaches a log.
            builder.UseSetting("Logging:LogLevel:Default", "Trace");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            builder.UseSetting("Logging:LogLevel:Orleans", "Information");
            builder.ConfigureServices(services => services.AddLogging(logging =>
            {
                logging.AddProvider(new QueueLoggerProvider(logs));
            }));
        }
    }

    /// <summary>Keeps every message with its category, state and exception, at every level the host lets through.</summary>
    private sealed class QueueLoggerProvider(ConcurrentQueue<string> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(categoryName, logs);

        public void Dispose()
        {
        }

        private sealed class QueueLogger(string category, ConcurrentQueue<string> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                logs.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue($"{category} [{logLevel}] {formatter(state, exception)} {state} {exception}");
        }
    }
}
