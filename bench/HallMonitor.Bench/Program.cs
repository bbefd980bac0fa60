using HallMonitor.Bench.Calls;
using Microsoft.Extensions.Configuration;

return args switch
{
    ["grain-calls", .. var rest] => GrainCallBenchmarks.Run(rest),
    ["calls", .. var rest] => await CallsDriver.RunAsync(Options(rest)),
    _ => Usage(),
};

static IConfiguration Options(string[] args) => new ConfigurationBuilder().AddCommandLine(args).Build();

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project bench/HallMonitor.Bench -- <command> [options]

          grain-calls   BenchmarkDotNet: a grain call against a direct call (ns/op, allocations, ratio)
          calls         load driver: grain calls/s with 1, 2, 4, 64 callers, many grains and one hot grain [--seconds 5]
        """);
    return 2;
}
