using System.Text.RegularExpressions;

namespace HallMonitor.Web;

/// <summary>
/// Collects what is wrong with a request's fields; the endpoint answers 400 with all of them. The one place for the
/// length and character rules of every string the API takes (the README's HTTP API section lists them).
/// </summary>
public sealed partial class RequestErrors
{
    /// <summary>Hall, window and matter codes, alert and ticket ids: route values and the codes in bodies.</summary>
    public const int MaxIdLength = 64;

    /// <summary>A visitor's rating comment (评价意见).</summary>
    public const int MaxCommentLength = 500;

    /// <summary>Query values that take a word or a date (<c>state</c>, <c>groupBy</c>, <c>format</c>, <c>from</c>, <c>to</c>).</summary>
    public const int MaxQueryWordLength = 16;

    /// <summary>The route values the API takes, each checked before any endpoint (and so any grain) sees it.</summary>
    private static readonly string[] RouteIds = ["hall", "window", "matter", "ticketId", "alertId", "caseId", "followUpId"];

    /// <summary>A case's note or a follow-up's closing note.</summary>
    public const int MaxNoteLength = 500;

    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public RequestErrors Add(string field, string message)
    {
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        return this;
    }

    /// <summary>A clerk's identifier: 1–32 letters (Chinese too), digits, '.', '_' or '-'.</summary>
    public RequestErrors Clerk(string field, string? value, bool required)
    {
        if (value is null)
        {
            return required ? Add(field, $"{field} is required.") : this;
        }

        return ClerkPattern().IsMatch(value) ? this : Add(field, $"{field} must be 1–32 letters, digits, '.', '_' or '-'.");
    }

    /// <summary>A code or id: 1–64 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit.</summary>
    public RequestErrors Id(string field, string? value, bool required)
    {
        if (value is null)
        {
            return required ? Add(field, $"{field} is required.") : this;
        }

        return IdPattern().IsMatch(value)
            ? this
            : Add(field, $"{field} must be 1–{MaxIdLength} letters, digits, '.', '_' or '-' (starting with a letter or digit).");
    }

    /// <summary>An idempotency key: 1–64 ASCII letters, digits, '_' or '-' (a UUID fits).</summary>
    public RequestErrors IdempotencyKey(string field, string? value) =>
        value is null || KeyPattern().IsMatch(value) ? this : Add(field, $"{field} must be 1–64 letters, digits, '_' or '-'.");

    /// <summary>Free text: at most <paramref name="maxLength"/> characters, no control characters but line breaks and tabs (JSON itself refuses broken Unicode).</summary>
    public RequestErrors Text(string field, string? value, int maxLength)
    {
        if (value is null)
        {
            return this;
        }

        if (value.Length > maxLength)
        {
            return Add(field, $"{field} has at most {maxLength} characters.");
        }

        var readable = value.All(c => !char.IsControl(c) || c is '\n' or '\r' or '\t');
        return readable ? this : Add(field, $"{field} must be readable text (no control characters).");
    }

    /// <summary>A query word out of a fixed set; null (absent) is fine.</summary>
    public RequestErrors OneOf(string field, string? value, params string[] allowed) =>
        value is null || allowed.Contains(value, StringComparer.Ordinal) ? this : Add(field, $"{field} is {string.Join(", ", allowed[..^1])} or {allowed[^1]}.");

    /// <summary>A case's lookup code (查询码): exactly six digits.</summary>
    public RequestErrors LookupCode(string field, string? value) =>
        value is { Length: 6 } && value.All(char.IsAsciiDigit) ? this : Add(field, $"{field} is the case's 6-digit lookup code.");

    public RequestErrors Required(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? Add(field, $"{field} is required.") : this;

    public IResult ToResult() => TypedResults.ValidationProblem(_errors, detail: string.Join(" ", _errors.Values.SelectMany(m => m)));

    /// <summary>What is wrong with the route values of a request, or null: run before the endpoint, so garbage never reaches a grain.</summary>
    public static RequestErrors? ForRouteValues(RouteValueDictionary values)
    {
        var errors = new RequestErrors();
        foreach (var name in RouteIds)
        {
            if (values.TryGetValue(name, out var value))
            {
                errors.Id(name, value as string ?? "", required: true);
            }
        }

        return errors.Any ? errors : null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[\p{L}\p{N}._-]{1,32}\z")]
    private static partial Regex ClerkPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex IdPattern();
}
