"""Sums up one shape of bench/city/run.sh: CPU and memory samples from /proc, and dotnet-counters' CSV if any."""
import csv
import os
import sys

folder = sys.argv[1]


def percentile(values, share):
    values = sorted(values)
    return values[max(0, min(len(values) - 1, int(-(-share * len(values) // 1)) - 1))] if values else float("nan")


with open(os.path.join(folder, "samples.tsv")) as f:
    rows = list(csv.DictReader(f, delimiter="\t"))
cpu = [float(r["server_cpu_percent"]) for r in rows]
rss = [float(r["rss_mib"]) for r in rows]
watcher = [float(r["watcher_cpu_percent"]) for r in rows]
load = [float(r["load1"]) for r in rows]
if rows:
    print(f"  server CPU over {rows[-1]['seconds']} s: mean {sum(cpu) / len(cpu):.0f} %, p90 {percentile(cpu, 0.9):.0f} %, max {max(cpu):.0f} % "
          f"(100 % = one core of 2); RSS at the end {rss[-1]:.0f} MiB, max {max(rss):.0f} MiB; "
          f"watcher CPU mean {sum(watcher) / len(watcher):.0f} %; load average {min(load):.1f}–{max(load):.1f}")

counters = os.path.join(folder, "counters.csv")
if os.path.exists(counters) and os.path.getsize(counters) > 0:
    # Counter name -> timestamp -> value; a counter with dimensions (per GC generation, per CPU mode) is summed over them.
    series = {}
    with open(counters) as f:
        for row in csv.DictReader(f):
            name = (row.get("Counter Name") or "").split(" ")[0]
            try:
                value = float(row.get("Mean/Increment") or "nan")
            except ValueError:
                continue
            at = series.setdefault(name, {})
            at[row["Timestamp"]] = at.get(row["Timestamp"], 0) + value
    # (counter, label, scale, unit, how): "max" of a gauge, or the mean "rate" of a counter reported per 5 s interval.
    wanted = [
        ("dotnet.process.cpu.time", "CPU", 100 / 5, "% of a core", "rate"),
        ("dotnet.gc.last_collection.heap.size", "GC heap after a collection", 1 / 2**20, "MiB", "max"),
        ("dotnet.gc.last_collection.memory.committed_size", "GC committed", 1 / 2**20, "MiB", "max"),
        ("dotnet.process.memory.working_set", "working set", 1 / 2**20, "MiB", "max"),
        ("dotnet.gc.heap.total_allocated", "allocated", 1 / 2**20 / 5, "MiB/s", "rate"),
        ("dotnet.gc.pause.time", "in GC pauses", 100 / 5, "% of the time", "rate"),
        ("dotnet.gc.collections", "collections", 1 / 5, "/s", "rate"),
        ("dotnet.thread_pool.queue.length", "thread-pool queue", 1, "work items", "max"),
        ("dotnet.thread_pool.thread.count", "thread-pool threads", 1, "", "max"),
        ("dotnet.monitor.lock_contentions", "lock contentions", 1 / 5, "/s", "rate"),
    ]
    parts = []
    for name, label, scale, unit, how in wanted:
        values = list(series.get(name, {}).values())
        if not values:
            continue
        if how == "max":
            parts.append(f"{label} max {max(values) * scale:,.0f} {unit}".rstrip())
        else:
            parts.append(f"{label} mean {sum(values) / len(values) * scale:,.1f} {unit}")
    print("  dotnet-counters: " + ("; ".join(parts) if parts else "no known counters in " + ", ".join(sorted(series)[:8])))
