using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace HallMonitor.Silo;

/// <summary>
/// Collects <see cref="System.Diagnostics.Metrics"/> instruments into Prometheus metric families: counters
/// and up-down counters are summed, histograms kept as cumulative buckets, gauges and observable instruments
/// read when scraped. It takes the instruments of the meters created by this application's
/// <see cref="IMeterFactory"/> and of the global meters it is given by name (the .NET runtime's).
/// </summary>
/// <remarks>
/// Names follow Prometheus conventions: dots become underscores, the unit becomes a suffix (<c>s</c> →
/// <c>_seconds</c>, <c>By</c> → <c>_bytes</c>) and counters end in <c>_total</c>.
/// </remarks>
public sealed class MetricsCollector : IDisposable
{
    /// <summary>Buckets for a seconds histogram that gives none (fit for request durations).</summary>
    private static readonly double[] DefaultSecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _instruments = new();
    private readonly Lock _collecting = new();

    public MetricsCollector(IMeterFactory meterFactory, IEnumerable<string> globalMeters)
    {
        var global = globalMeters.ToHashSet(StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meterFactory || (instrument.Meter.Scope is null && global.Contains(instrument.Meter.Name)))
            {
                _instruments[instrument] = new InstrumentSeries(instrument);
                listener.EnableMeasurementEvents(instrument, this);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentSeries? _);
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, state) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<float>((instrument, value, tags, state) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>
    /// Creates an empty series so that it is exported from start-up (at zero), before its first measurement.
    /// </summary>
    public void Seed(Instrument instrument, IEnumerable<KeyValuePair<string, object?>> tags)
    {
        if (_instruments.TryGetValue(instrument, out var series))
        {
            series.Get(tags.ToArray());
        }
    }

    /// <summary>Reads the observable instruments and returns every family, sorted by name.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        lock (_collecting)
        {
            foreach (var series in _instruments.Values.Where(s => s.IsObservable))
            {
                series.Clear();
            }

            _listener.RecordObservableInstruments();
            return [.. _instruments.Values
                .Select(s => s.ToFamily())
                .Where(f => f is not null)
                .Select(f => f!)
                .GroupBy(f => f.Name, StringComparer.Ordinal)
                .Select(g => g.Count() == 1 ? g.First() : g.First() with { Samples = [.. g.SelectMany(f => f.Samples)] })
                .OrderBy(f => f.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>The Prometheus text of every family.</summary>
    public string Scrape() => PrometheusText.Write(Collect());

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_instruments.TryGetValue(instrument, out var series))
        {
            series.Record(value, tags);
        }
    }

    /// <summary>The series of one instrument, one per distinct set of tags.</summary>
    private sealed class InstrumentSeries
    {
        private readonly Instrument _instrument;
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly double[] _buckets;

        public InstrumentSeries(Instrument instrument)
        {
            _instrument = instrument;
            Kind = instrument switch
            {
                Counter<long> or Counter<int> or Counter<double> or Counter<float> => Kind.Counter,
                ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> or ObservableCounter<float> => Kind.ObservableCounter,
                Histogram<long> or Histogram<int> or Histogram<double> or Histogram<float> => Kind.Histogram,
                UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double> or UpDownCounter<float> => Kind.UpDownCounter,
                _ => Kind.Gauge,
            };
            IsObservable = instrument.IsObservable;
            Name = PrometheusName(instrument, Kind);
            _buckets = Kind == Kind.Histogram ? Buckets(instrument) : [];
        }

        public Kind Kind { get; }

        public bool IsObservable { get; }

        public string Name { get; }

        public void Clear() => _series.Clear();

        public Series Get(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(tags);
            var key = string.Join('\u001f', labels.Select(l => l.Key + "=" + l.Value));
            return _series.GetOrAdd(key, static (_, state) => new Series(state.labels, state.buckets), (labels, buckets: _buckets));
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var series = Get(tags);
            switch (Kind)
            {
                case Kind.Counter or Kind.UpDownCounter:
                    series.Add(value);
                    break;
                case Kind.Histogram:
                    series.Observe(value);
                    break;
                default:
                    series.Set(value);
                    break;
            }
        }

        public MetricFamily? ToFamily()
        {
            if (_series.IsEmpty)
            {
                return null;
            }

            var help = string.IsNullOrWhiteSpace(_instrument.Description) ? _instrument.Name : _instrument.Description;
            var samples = new List<MetricSample>();
            foreach (var series in _series.Values.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                if (Kind != Kind.Histogram)
                {
                    samples.Add(new MetricSample("", series.Labels, series.Value));
                    continue;
                }

                var (counts, sum, count) = series.Read();
                var cumulative = 0L;
                for (var i = 0; i < _buckets.Length; i++)
                {
                    cumulative += counts[i];
                    samples.Add(new MetricSample("_bucket", [.. series.Labels, new("le", PrometheusText.FormatValue(_buckets[i]))], cumulative));
                }

                samples.Add(new MetricSample("_bucket", [.. series.Labels, new("le", "+Inf")], count));
                samples.Add(new MetricSample("_sum", series.Labels, sum));
                samples.Add(new MetricSample("_count", series.Labels, count));
            }

            var type = Kind switch
            {
                Kind.Counter or Kind.ObservableCounter => MetricType.Counter,
                Kind.Histogram => MetricType.Histogram,
                _ => MetricType.Gauge,
            };
            return new MetricFamily(Name, help, type, samples);
        }

        private static List<KeyValuePair<string, string>> Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = new List<KeyValuePair<string, string>>(tags.Length);
            foreach (var tag in tags)
            {
                labels.Add(new(PrometheusText.LabelName(tag.Key), Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? ""));
            }

            labels.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return labels;
        }

        private static string PrometheusName(Instrument instrument, Kind kind)
        {
            var name = PrometheusText.MetricName(instrument.Name);
            var unit = instrument.Unit switch
            {
                "s" => "_seconds",
                "ms" => "_milliseconds",
                "By" => "_bytes",
                _ => "",
            };
            if (unit.Length > 0 && !name.EndsWith(unit, StringComparison.Ordinal))
            {
                name += unit;
            }

            if (kind is Kind.Counter or Kind.ObservableCounter)
            {
                return name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total";
            }

            // These suffixes belong to histogram samples; a gauge named so (dotnet.assembly.count) would read as one.
            return kind != Kind.Histogram && (name.EndsWith("_count", StringComparison.Ordinal) || name.EndsWith("_sum", StringComparison.Ordinal)
                || name.EndsWith("_bucket", StringComparison.Ordinal))
                ? name + "_value"
                : name;
        }

        private static double[] Buckets(Instrument instrument)
        {
            IReadOnlyList<double>? advised = instrument switch
            {
                Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
                Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
                Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
                Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
                _ => null,
            };
            return advised is { Count: > 0 } ? [.. advised] : instrument.Unit == "s" ? DefaultSecondsBuckets : DefaultBuckets;
        }
    }

    /// <summary>One labelled series: a value, or histogram buckets with their sum and count.</summary>
    private sealed class Series(List<KeyValuePair<string, string>> labels, double[] buckets)
    {
        private readonly Lock _lock = new();
        private readonly long[] _counts = new long[buckets.Length];
        private double _value;
        private double _sum;
        private long _count;

        public List<KeyValuePair<string, string>> Labels { get; } = labels;

        public string Key { get; } = string.Join(',', labels.Select(l => l.Key + "=" + l.Value));

        public double Value
        {
            get
            {
                lock (_lock)
                {
                    return _value;
                }
            }
        }

        public void Add(double value)
        {
            lock (_lock)
            {
                _value += value;
            }
        }

        public void Set(double value)
        {
            lock (_lock)
            {
                _value = value;
            }
        }

        public void Observe(double value)
        {
            // Prometheus buckets are upper bounds, inclusive: a value equal to a bound falls in that bucket.
            var index = Array.BinarySearch(buckets, value);
            index = index >= 0 ? index : ~index;
            lock (_lock)
            {
                if (index < _counts.Length)
                {
                    _counts[index]++;
                }

                _sum += value;
                _count++;
            }
        }

        public (long[] Counts, double Sum, long Count) Read()
        {
            lock (_lock)
            {
                return ([.. _counts], _sum, _count);
            }
        }
    }

    private enum Kind
    {
        Counter,
        ObservableCounter,
        UpDownCounter,
        Histogram,
        Gauge,
    }
}
