using System.Diagnostics.Metrics;
using HallMonitor.Silo;
using Microsoft.Extensions.DependencyInjection;

namespace HallMonitor.Grains.Tests;

/// <summary>The Prometheus exporter on its own: format, escaping, naming and histogram arithmetic.</summary>
public sealed class MetricsExporterTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    [Fact]
    public void Counter_IsSummedPerLabelSetAndEndsInTotal()
    {
        using var collector = new MetricsCollector(Meters, []);
        var counter = Meters.Create("Test").CreateCounter<long>("tickets_issued", description: "Tickets.");

        counter.Add(2, new KeyValuePair<string, object?>("matter", "A"));
        counter.Add(3, new KeyValuePair<string, object?>("matter", "A"));
        counter.Add(1, new KeyValuePair<string, object?>("matter", "B"));

        Assert.Equal(
            """
            # HELP tickets_issued_total Tickets.
            # TYPE tickets_issued_total counter
            tickets_issued_total{matter="A"} 5
            tickets_issued_total{matter="B"} 1

            """.ReplaceLineEndings("\n"),
            collector.Scrape());
    }

    [Fact]
    public void Histogram_BucketsAreCumulativeInclusiveAndEndWithInf()
    {
        using var collector = new MetricsCollector(Meters, []);
        var histogram = Meters.Create("Test").CreateHistogram("wait", unit: "s", description: "Wait.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [60, 300, 900] });

        foreach (var value in new[] { 10d, 60, 61, 400, 5000 })
        {
            histogram.Record(value);
        }

        Assert.Equal(
            """
            # HELP wait_seconds Wait.
            # TYPE wait_seconds histogram
            wait_seconds_bucket{le="60"} 2
            wait_seconds_bucket{le="300"} 3
            wait_seconds_bucket{le="900"} 4
            wait_seconds_bucket{le="+Inf"} 5
            wait_seconds_sum 5531
            wait_seconds_count 5

            """.ReplaceLineEndings("\n"),
            collector.Scrape());
    }

    [Fact]
    public void LabelValues_EscapeBackslashQuoteAndNewline_AndHelpEscapesToo()
    {
        using var collector = new MetricsCollector(Meters, []);
        var gauge = Meters.Create("Test").CreateUpDownCounter<int>("odd", description: "Line one\nline two \\ end.");

        gauge.Add(1, new KeyValuePair<string, object?>("name", "a\"b\\c\nd"));

        Assert.Equal(
            """
            # HELP odd Line one\nline two \\ end.
            # TYPE odd gauge
            odd{name="a\"b\\c\nd"} 1

            """.ReplaceLineEndings("\n"),
            collector.Scrape());
    }

    [Fact]
    public void Names_AreSanitizedAndGetUnitSuffixes()
    {
        using var collector = new MetricsCollector(Meters, []);
        var meter = Meters.Create("Test");
        meter.CreateObservableGauge("dotnet.gc.heap-size", () => 42L, unit: "By");
        meter.CreateObservableGauge("dotnet.assembly.count", () => 7);
        meter.CreateObservableCounter("process.cpu", () => 1.5, unit: "s");

        var names = collector.Collect().Select(f => (f.Name, f.Type)).ToList();

        Assert.Equal(
            [("dotnet_assembly_count_value", MetricType.Gauge), ("dotnet_gc_heap_size_bytes", MetricType.Gauge), ("process_cpu_seconds_total", MetricType.Counter)],
            names);
    }

    [Fact]
    public void ObservableSeries_ThatDisappear_AreNotExportedAnyMore()
    {
        using var collector = new MetricsCollector(Meters, []);
        var matters = new List<string> { "A", "B" };
        Meters.Create("Test").CreateObservableGauge("waiting", () => matters.Select(m => new Measurement<int>(1, new KeyValuePair<string, object?>("matter", m))));

        var before = collector.Collect().Single().Samples.Count;
        matters.Remove("B");
        var after = collector.Collect().Single().Samples;

        Assert.Equal(2, before);
        Assert.Equal("A", Assert.Single(after).Labels.Single().Value);
    }

    [Fact]
    public void SeededSeries_AreExportedAtZeroBeforeTheirFirstMeasurement()
    {
        using var collector = new MetricsCollector(Meters, []);
        var histogram = Meters.Create("Test").CreateHistogram("handle", unit: "s",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [60] });

        collector.Seed(histogram, [new("hall", "xinqu")]);

        Assert.Contains("handle_seconds_count{hall=\"xinqu\"} 0\n", collector.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void InstrumentsOfAnotherMeterFactory_AreNotCollected()
    {
        using var collector = new MetricsCollector(Meters, []);
        using var other = new ServiceCollection().AddMetrics().BuildServiceProvider();
        other.GetRequiredService<IMeterFactory>().Create("Other").CreateCounter<int>("elsewhere").Add(1);

        Assert.Empty(collector.Collect());
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.25, "0.25")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(1e-7, "1E-07")]
    public void Values_AreFormattedInvariantly(double value, string text) =>
        Assert.Equal(text, PrometheusText.FormatValue(value));

    public void Dispose() => _services.Dispose();
}
