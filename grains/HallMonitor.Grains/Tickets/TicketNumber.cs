using System.Globalization;
using System.Text.RegularExpressions;

namespace HallMonitor.Grains;

/// <summary>Ticket numbers (<c>A023</c>) and ticket ids (<c>20261122-A023</c>).</summary>
public static partial class TicketNumber
{
    public static string Format(string prefix, int number) =>
        prefix + number.ToString("000", CultureInfo.InvariantCulture);

    public static string TicketId(DateOnly serviceDay, string number) =>
        serviceDay.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + number;

    public static bool TryParse(string number, out string prefix, out int value)
    {
        var match = NumberPattern().Match(number);
        prefix = match.Success ? match.Groups[1].Value : "";
        value = match.Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        return match.Success;
    }

    /// <summary>True for a well-formed ticket id; its service day comes out.</summary>
    public static bool TryParseTicketId(string ticketId, out DateOnly serviceDay)
    {
        serviceDay = default;
        var match = TicketIdPattern().Match(ticketId);
        return match.Success
            && DateOnly.TryParseExact(match.Groups[1].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out serviceDay);
    }

    [GeneratedRegex(@"^([A-Z]{1,3})([0-9]{3,6})\z")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^([0-9]{8})-[A-Z]{1,3}[0-9]{3,6}\z")]
    private static partial Regex TicketIdPattern();
}
