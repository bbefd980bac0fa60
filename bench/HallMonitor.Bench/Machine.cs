using System.Runtime.InteropServices;

namespace HallMonitor.Bench;

/// <summary>What the numbers were measured on, printed with them.</summary>
public static class Machine
{
    /// <summary>Cores, OS, .NET, GC mode and, on Linux, the load average: another busy process skews every figure.</summary>
    public static string Describe()
    {
        var load = File.Exists("/proc/loadavg") ? $"; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}" : "";
        var gc = System.Runtime.GCSettings.IsServerGC ? "server GC" : "workstation GC";
        return $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {gc}{load}";
    }
}
