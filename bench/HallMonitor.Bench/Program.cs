using HallMonitor.Bench.Calls;
using HallMonitor.Bench.Dispatch;
using HallMonitor.Bench.Lifecycles;
using HallMonitor.Bench.Reports;
using Microsoft.Extensions.Configuration;

return args switch
{
    ["grain-calls", .. var rest] => GrainCallBenchmarks.Run(rest),
    ["calls", .. var rest] => await CallsDriver.RunAsync(Options(rest)),
    ["lifecycles", .. var rest] => await LifecyclesDriver.RunAsync(Options(rest)),
    ["call-next", .. var rest] => await CallNextDriver.RunAsync(Options(rest)),
    ["dispatch-index", .. var rest] => DispatchIndexBenchmarks.Run(rest),
    ["reports", .. var rest] => await ReportsDriver.RunAsync(Options(rest)),
    _ => Usage(),
};

static IConfiguration Options(string[] args) => new ConfigurationBuilder().AddCommandLine(args).Build();

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project bench/HallMonitor.Bench -- <command> [options]

          grain-calls   BenchmarkDotNet: a grain call against a direct call (ns/op, allocations, ratio)
          calls         load driver: grain calls/s with 1, 2, 4, 64 callers, many grains and one hot grain [--seconds 5]
          lifecycles    load driver: durable ticket lifecycles on SQLite, and the raw SQLite ceiling
                        [--seconds 15] [--windows 100] [--comprehensive 20] [--matters 60] [--sectors 10]
                        [--HallMonitor:SqliteSynchronous=normal] [--HallMonitor:Storage=memory]
          call-next     driver: time of one call-next with 10,000 waiting over 10, 100, 1,000 matters
                        [--samples 3000] [--warmup 300]
          dispatch-index  BenchmarkDotNet: the dispatch index alone, 10, 100, 1,000 matters
          reports       driver: a year of one busy hall (~300,000 events), then one-month summaries [--tickets-per-day 240]
        """);
    return 2;
}
