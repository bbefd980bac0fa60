using HallMonitor.Bench.Alerts;
using HallMonitor.Bench.Calls;
using HallMonitor.Bench.Dispatch;
using HallMonitor.Bench.Forecasts;
using HallMonitor.Bench.Journal;
using HallMonitor.Bench.Lifecycles;
using HallMonitor.Bench.Reports;
using HallMonitor.Bench.Simulate;
using HallMonitor.Bench.Startup;
using Microsoft.Extensions.Configuration;

namespace HallMonitor.Bench;

/// <summary>
/// The bench's entry point: a class, not top-level statements, because the bench hosts the web application,
/// whose own entry point is the global <c>Program</c>.
/// </summary>
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args) => args switch
    {
        ["grain-calls", .. var rest] => BenchmarkSuite.Run<GrainCallBenchmarks>(rest),
        ["calls", .. var rest] => await CallsDriver.RunAsync(Options(rest)),
        ["lifecycles", .. var rest] => await LifecyclesDriver.RunAsync(Options(rest)),
        ["call-next", .. var rest] => await CallNextDriver.RunAsync(Options(rest)),
        ["journal-stores", .. var rest] => await JournalStoresDriver.RunAsync(Options(rest)),
        ["dispatch-index", .. var rest] => BenchmarkSuite.Run<DispatchIndexBenchmarks>(rest),
        ["reports", .. var rest] => await ReportsDriver.RunAsync(Options(rest)),
        ["alerts", .. var rest] => await AlertsDriver.RunAsync(Options(rest)),
        ["backtest", .. var rest] => await BacktestDriver.RunAsync(Options(rest)),
        ["startup", .. var rest] => await StartupDriver.RunAsync(Options(rest)),
        ["simulate", .. var rest] => await SimulateDriver.RunAsync(Options(rest)),
        ["watch", .. var rest] => await WatchDriver.RunAsync(Options(rest)),
        ["city-halls", .. var rest] => await CityHalls.RunAsync(Options(rest)),
        _ => Usage(),
    };

    private static IConfiguration Options(string[] args) => new ConfigurationBuilder().AddCommandLine(args).Build();

    private static int Usage()
    {
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project bench/HallMonitor.Bench -- <command> [options]

          grain-calls   BenchmarkDotNet: a grain call against a direct call (ns/op, allocations, ratio)
          calls         load driver: grain calls/s with 1, 2, 4, 64 callers, many grains and one hot grain [--seconds 5]
          lifecycles    load driver: durable ticket lifecycles on SQLite, and the raw SQLite ceiling
                        [--seconds 15] [--windows 100] [--comprehensive 20] [--matters 60] [--sectors 10]
                        [--HallMonitor:SqliteSynchronous=normal] [--HallMonitor:Storage=memory|postgres] [--HallMonitor:Postgres=…]
          call-next     driver: time of one call-next with 10,000 waiting over 10, 100, 1,000 matters
                        [--samples 3000] [--warmup 300]
          journal-stores  driver: appends/s and commit latency of the SQLite (FULL) and PostgreSQL journal stores
                        with 1, 16, 256 appenders [--seconds 5] [--appenders 1,16,256] [--postgres <connection string>]
          dispatch-index  BenchmarkDotNet: the dispatch index alone, 10, 100, 1,000 matters
          reports       driver: a year of one busy hall (~300,000 events), then one-month summaries [--tickets-per-day 240]
          alerts        driver: how late overtime alerts reach a SignalR client, with 100,000 tickets waiting [--waiting 100000]
          backtest      driver: predicted calls and waitPredicted cards against what happened, on simulated days of the
                        demo halls [--days 1] [--speed 120] [--seed 1] [--sample 60]
          startup       driver: the Release web process from start to ready on a journal of 1,000,000 events, with and
                        without checkpoints, beside an empty journal [--events 1000000] [--rounds 3] [--folder <kept data>]
          simulate      load driver: the hall-day simulator against a running server, progress bar and summary
                        --url http://host:port [--speed 60] [--halls a,b] [--from 08:30] [--to 17:00] [--seed 1]
                        [--token <admin token>] [--progress-every 10] [--timeout 30]
          watch         push latency: SignalR clients joined to halls of a running server time every event
                        --url http://host:port [--halls a,b | --hall-count 4] [--clients 1] [--seconds 0] [--token …]
          city-halls    writes a halls file for a city in one silo [--halls 200] [--windows 50] [--matters 30]
                        [--sectors 6] [--out city-halls.json]
        """);
        return 2;
    }
}
