namespace HallMonitor.Grains;

/// <summary>Folds ticket facts into arrivals per matter, service day and local hour, with the services' handling times.</summary>
public static class MatterDays
{
    public static IReadOnlyList<MatterDay> From(Hall hall, IEnumerable<TicketFact> facts)
    {
        var days = new Dictionary<(DateOnly Day, string Matter), (int[] Issued, int Handled, double HandleTotal)>();
        foreach (var fact in facts)
        {
            var key = (fact.ServiceDay, fact.Matter);
            if (!days.TryGetValue(key, out var day))
            {
                day = (new int[24], 0, 0);
            }

            day.Issued[hall.LocalTime(fact.IssuedAt).Hour]++;
            if (fact.HandleSeconds is { } handle && fact.State is TicketState.Completed or TicketState.Transferred)
            {
                day = (day.Issued, day.Handled + 1, day.HandleTotal + handle);
            }

            days[key] = day;
        }

        return [.. days
            .OrderBy(d => d.Key.Day).ThenBy(d => d.Key.Matter, StringComparer.Ordinal)
            .Select(d => new MatterDay { Day = d.Key.Day, Matter = d.Key.Matter, Issued = d.Value.Issued, Handled = d.Value.Handled, HandleSecondsTotal = d.Value.HandleTotal })];
    }
}
