using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HallMonitor.Web;

/// <summary>
/// Enums in request bodies as exactly the camelCase names the API writes: <c>"kiosk"</c>, not <c>"KIOSK"</c>,
/// <c>"kiosk, online"</c> or <c>1</c> (which the framework's string enum converter would take).
/// </summary>
public sealed class StrictEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Names<>).MakeGenericType(typeToConvert))!;

    private sealed class Names<T> : JsonConverter<T>
        where T : struct, Enum
    {
        private readonly FrozenDictionary<string, T> _values =
            Enum.GetValues<T>().ToFrozenDictionary(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()), StringComparer.Ordinal);

        private readonly FrozenDictionary<T, string> _names =
            Enum.GetValues<T>().ToFrozenDictionary(v => v, v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()));

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && _values.TryGetValue(reader.GetString()!, out var value)
                ? value
                : throw new JsonException($"Expected one of {string.Join(", ", _values.Keys)}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(_names.TryGetValue(value, out var name) ? name : throw new JsonException($"{typeof(T).Name} has no value {value}."));
    }
}
