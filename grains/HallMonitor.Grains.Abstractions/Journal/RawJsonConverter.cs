using System.Text.Json;
using System.Text.Json.Serialization;

namespace HallMonitor.Grains;

/// <summary>
/// Writes a string that already holds JSON (an event's data as journaled) as that JSON, not as a string.
/// The data crosses grain boundaries as text: a parsed JSON element has no Orleans codec. Data that is not JSON
/// (a damaged journal row) is written as a JSON string, so that an auditor reading the journal sees it as it is.
/// </summary>
public sealed class RawJsonConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetRawText();
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        if (IsJson(value))
        {
            writer.WriteRawValue(value, skipInputValidation: true);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private static bool IsJson(string value)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(value));
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
