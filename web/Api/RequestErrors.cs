using System.Text.RegularExpressions;

namespace HallMonitor.Web;

/// <summary>Collects what is wrong with a request's fields; the endpoint answers 400 with all of them.</summary>
public sealed partial class RequestErrors
{
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

    /// <summary>An idempotency key: 1–64 ASCII letters, digits, '_' or '-' (a UUID fits).</summary>
    public RequestErrors IdempotencyKey(string field, string? value) =>
        value is null || KeyPattern().IsMatch(value) ? this : Add(field, $"{field} must be 1–64 letters, digits, '_' or '-'.");

    public RequestErrors Required(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? Add(field, $"{field} is required.") : this;

    public IResult ToResult() => TypedResults.ValidationProblem(_errors, detail: string.Join(" ", _errors.Values.SelectMany(m => m)));

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[\p{L}\p{N}._-]{1,32}$")]
    private static partial Regex ClerkPattern();
}
