using System.Collections.Frozen;
using System.Text.Json;

namespace HallMonitor.Grains;

/// <summary>Turns events into their journal type name and JSON data, and back.</summary>
public static class EventCodec
{
    private static readonly FrozenDictionary<string, Type> TypesByName = new Dictionary<string, Type>
    {
        ["ticketIssued"] = typeof(TicketIssued),
        ["ticketCalled"] = typeof(TicketCalled),
        ["ticketRecalled"] = typeof(TicketRecalled),
        ["serviceStarted"] = typeof(ServiceStarted),
        ["serviceCompleted"] = typeof(ServiceCompleted),
        ["ticketNoShow"] = typeof(TicketNoShow),
        ["ticketCancelled"] = typeof(TicketCancelled),
        ["ticketTransferred"] = typeof(TicketTransferred),
        ["ticketExpired"] = typeof(TicketExpired),
        ["ticketRated"] = typeof(TicketRated),
        ["windowOpened"] = typeof(WindowOpened),
        ["windowPaused"] = typeof(WindowPaused),
        ["windowResumed"] = typeof(WindowResumed),
        ["windowClosed"] = typeof(WindowClosed),
        ["alertRaised"] = typeof(AlertRaised),
        ["alertEscalated"] = typeof(AlertEscalated),
        ["alertAcknowledged"] = typeof(AlertAcknowledged),
        ["alertResolved"] = typeof(AlertResolved),
        ["configurationChanged"] = typeof(ConfigurationChanged),
        ["caseOpened"] = typeof(CaseOpened),
        ["caseStepped"] = typeof(CaseStepped),
        ["followUpOpened"] = typeof(FollowUpOpened),
        ["followUpClosed"] = typeof(FollowUpClosed),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, string> NamesByType =
        TypesByName.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);

    public static string TypeName(HallEvent hallEvent) => hallEvent switch
    {
        UnknownEvent unknown => unknown.Type,
        _ => NamesByType.TryGetValue(hallEvent.GetType(), out var name)
            ? name
            : throw new ArgumentException($"{hallEvent.GetType().Name} is not a journal event.", nameof(hallEvent)),
    };

    public static string Encode(HallEvent hallEvent) => hallEvent is UnknownEvent unknown
        ? unknown.Data
        : JsonSerializer.Serialize(hallEvent, hallEvent.GetType(), HallMonitorJson.Options);

    /// <summary>
    /// The data of an event as shown beyond the readers of cases (the hub's hall group, a ticket's history): a case's
    /// lookup code is hidden. The record's hash stays that of the stored data.
    /// </summary>
    public static string Shown(JournalRecord record) => record.Event is CaseOpened opened
        ? Encode(opened with { LookupCode = CaseOpened.HiddenCode })
        : record.Data;

    public static HallEvent Decode(string type, string data) =>
        TypesByName.TryGetValue(type, out var clrType)
            ? (HallEvent)(JsonSerializer.Deserialize(data, clrType, HallMonitorJson.Options)
                ?? throw new JsonException($"The data of a '{type}' event is empty."))
            : new UnknownEvent(type, data);
}
