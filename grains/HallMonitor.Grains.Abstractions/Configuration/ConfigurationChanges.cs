using System.Globalization;

namespace HallMonitor.Grains;

/// <summary>
/// What a reload of the halls file would change. Names, targets, thresholds, which matters a window serves,
/// calendars and tokens apply while the halls run; adding or removing a hall, matter or window, or changing a
/// ticket prefix or a time zone, changes numbering, grain identities and service days, and needs a restart.
/// </summary>
public sealed record ConfigurationChanges(IReadOnlyList<string> NeedRestart, IReadOnlyDictionary<string, IReadOnlyList<string>> ByHall, IReadOnlyList<string> Tokens)
{
    public bool Any => NeedRestart.Count > 0 || Tokens.Count > 0 || ByHall.Values.Any(c => c.Count > 0);

    /// <summary>What the journal of <paramref name="hallId"/> records for this reload: the hall's own changes and the tokens'.</summary>
    public IReadOnlyList<string> ForHall(string hallId) => [.. ByHall.GetValueOrDefault(hallId) ?? [], .. Tokens];

    public static ConfigurationChanges Compare(HallCatalog current, HallCatalog next)
    {
        List<string> restart = [];
        Dictionary<string, IReadOnlyList<string>> byHall = new(StringComparer.Ordinal);
        var before = current.Halls.ToDictionary(h => h.Id, StringComparer.Ordinal);
        var after = next.Halls.ToDictionary(h => h.Id, StringComparer.Ordinal);
        restart.AddRange(after.Keys.Except(before.Keys).Select(id => $"hall '{id}' added"));
        restart.AddRange(before.Keys.Except(after.Keys).Select(id => $"hall '{id}' removed"));
        foreach (var (id, old) in before)
        {
            if (after.TryGetValue(id, out var now))
            {
                byHall[id] = CompareHall(old, now, restart);
            }
        }

        return new ConfigurationChanges(restart, byHall, CompareTokens(current.Auth, next.Auth));
    }

    private static List<string> CompareHall(Hall old, Hall now, List<string> restart)
    {
        var a = old.Definition;
        var b = now.Definition;
        var at = $"hall '{a.Id}'";
        List<string> changes = [];
        if (a.TimeZone != b.TimeZone)
        {
            restart.Add($"{at}: time zone {a.TimeZone} → {b.TimeZone}");
        }

        Note(changes, at, "name", a.Name, b.Name);
        Note(changes, at, "warnRatio", a.WarnRatio.ToString(CultureInfo.InvariantCulture), b.WarnRatio.ToString(CultureInfo.InvariantCulture));
        Note(changes, at, "backlogThreshold", a.BacklogThreshold, b.BacklogThreshold);
        Note(changes, at, "followUpDays", a.FollowUpDays, b.FollowUpDays);
        Note(changes, at, "calendar", a.Calendar ?? "Monday–Friday", b.Calendar ?? "Monday–Friday");
        if (a.Calendar == b.Calendar && !old.Calendar.Years.SequenceEqual(now.Calendar.Years))
        {
            changes.Add($"{at}.calendar '{b.Calendar}': years {string.Join(", ", old.Calendar.Years)} → {string.Join(", ", now.Calendar.Years)}");
        }

        var matters = b.Matters.ToDictionary(m => m.Code, StringComparer.Ordinal);
        restart.AddRange(b.Matters.Where(m => !old.TryGetMatter(m.Code, out _)).Select(m => $"{at}: matter '{m.Code}' added"));
        foreach (var m in a.Matters)
        {
            if (!matters.TryGetValue(m.Code, out var n))
            {
                restart.Add($"{at}: matter '{m.Code}' removed");
                continue;
            }

            var where = $"{at}.matter '{m.Code}'";
            if (m.Prefix != n.Prefix)
            {
                restart.Add($"{where}: prefix {m.Prefix} → {n.Prefix}");
            }

            Note(changes, where, "name", m.Name, n.Name);
            Note(changes, where, "category", m.Category, n.Category);
            Note(changes, where, "waitTargetSeconds", m.WaitTargetSeconds, n.WaitTargetSeconds);
            Note(changes, where, "handleTargetSeconds", m.HandleTargetSeconds, n.HandleTargetSeconds);
            Note(changes, where, "promisedDays", m.PromisedDays, n.PromisedDays);
            Note(changes, where, "statutoryDays", m.StatutoryDays, n.StatutoryDays);
        }

        var windows = b.Windows.ToDictionary(w => w.Id, StringComparer.Ordinal);
        restart.AddRange(b.Windows.Where(w => !old.TryGetWindow(w.Id, out _)).Select(w => $"{at}: window '{w.Id}' added"));
        foreach (var w in a.Windows)
        {
            if (!windows.TryGetValue(w.Id, out var n))
            {
                restart.Add($"{at}: window '{w.Id}' removed");
                continue;
            }

            var where = $"{at}.window '{w.Id}'";
            Note(changes, where, "name", w.Name, n.Name);
            Note(changes, where, "kind", w.Kind, n.Kind);
            Note(changes, where, "matters", string.Join(",", w.Matters), string.Join(",", n.Matters));
        }

        return changes;
    }

    /// <summary>Tokens by name: added, withdrawn, or given another role, scope or token. Never a token or its hash.</summary>
    private static List<string> CompareTokens(AuthDefinition? a, AuthDefinition? b)
    {
        List<string> changes = [];
        if ((a is null) != (b is null))
        {
            changes.Add(b is null ? "auth: section removed, the API runs open" : "auth: section added, every call needs a token");
        }

        var before = (a?.Tokens ?? []).ToDictionary(t => t.Name ?? "", StringComparer.Ordinal);
        var after = (b?.Tokens ?? []).ToDictionary(t => t.Name ?? "", StringComparer.Ordinal);
        changes.AddRange(after.Keys.Except(before.Keys).Order(StringComparer.Ordinal).Select(n => $"token '{n}' added ({after[n].Role})"));
        changes.AddRange(before.Keys.Except(after.Keys).Order(StringComparer.Ordinal).Select(n => $"token '{n}' withdrawn"));
        foreach (var (name, old) in before.Where(p => after.ContainsKey(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var now = after[name];
            if (old != now)
            {
                changes.Add(string.Equals(old.Sha256, now.Sha256, StringComparison.OrdinalIgnoreCase)
                    ? $"token '{name}': {Scope(old)} → {Scope(now)}"
                    : $"token '{name}' replaced ({Scope(now)})");
            }
        }

        return changes;
    }

    private static string Scope(TokenDefinition token) => string.Join(" ", new[] { token.Role, token.Hall, token.Window }.Where(p => p is not null));

    private static void Note<T>(List<string> changes, string where, string field, T before, T after)
    {
        if (!EqualityComparer<T>.Default.Equals(before, after))
        {
            changes.Add($"{where}.{field}: {Show(before)} → {Show(after)}");
        }
    }

    private static string Show<T>(T value) => value switch
    {
        null => "none",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
