using System.Globalization;
using System.Text;

namespace HallMonitor.Silo;

/// <summary>What kind of Prometheus metric family a set of samples is.</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>One metric family: name, help, type and samples.</summary>
public sealed record MetricFamily(string Name, string Help, MetricType Type, IReadOnlyList<MetricSample> Samples);

/// <summary>
/// One sample: the family name plus an optional suffix (<c>_bucket</c>, <c>_sum</c>, <c>_count</c> for
/// histograms), its labels and value.
/// </summary>
public sealed record MetricSample(string Suffix, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);

/// <summary>
/// Writes metric families in the Prometheus text exposition format, version 0.0.4: a <c># HELP</c> and a
/// <c># TYPE</c> line per family, then one line per sample with escaped label values.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<MetricFamily> families)
    {
        var text = new StringBuilder();
        foreach (var family in families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type switch
            {
                MetricType.Counter => "counter",
                MetricType.Gauge => "gauge",
                _ => "histogram",
            }).Append('\n');
            foreach (var sample in family.Samples)
            {
                text.Append(family.Name).Append(sample.Suffix);
                if (sample.Labels.Count > 0)
                {
                    text.Append('{');
                    for (var i = 0; i < sample.Labels.Count; i++)
                    {
                        if (i > 0)
                        {
                            text.Append(',');
                        }

                        text.Append(sample.Labels[i].Key).Append("=\"").Append(EscapeLabelValue(sample.Labels[i].Value)).Append('"');
                    }

                    text.Append('}');
                }

                text.Append(' ').Append(FormatValue(sample.Value)).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Help text escapes backslash and line feed.</summary>
    public static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>A valid metric name: <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; anything else becomes an underscore.</summary>
    public static string MetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>A valid label name: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>.</summary>
    public static string LabelName(string name) => Sanitize(name, allowColon: false);

    private static string Sanitize(string name, bool allowColon)
    {
        var result = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            result.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }

        if (result.Length == 0 || char.IsAsciiDigit(result[0]))
        {
            result.Insert(0, '_');
        }

        return result.ToString();
    }
}
