using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace HallMonitor.Bench;

/// <summary>How the BenchmarkDotNet suites of the bench run: one medium in-process job.</summary>
public static class BenchmarkSuite
{
    /// <summary>Runs <typeparamref name="TSuite"/>; <paramref name="args"/> go to BenchmarkDotNet (for example <c>--filter *Later*</c>).</summary>
    public static int Run<TSuite>(string[] args)
    {
        // In process: an out-of-process run first rebuilds this project and all it references without the
        // compiler server, which on this 2-core machine ran past BenchmarkDotNet's two-minute build timeout.
        var job = Job.MediumRun.WithLaunchCount(1).WithToolchain(InProcessEmitToolchain.Instance);
        var summary = BenchmarkRunner.Run<TSuite>(DefaultConfig.Instance.AddJob(job.AsDefault()), args);
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    }
}
