using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace HallMonitor.Runtime.Generator;

internal enum ReturnKind
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

internal sealed record GrainInterfaceModel(
    string FullName,
    string Name,
    string Namespace,
    EquatableArray<MethodModel> Methods,
    EquatableArray<DiagnosticModel> Diagnostics);

internal sealed record MethodModel(
    string DeclaringInterface,
    string DeclaringName,
    string Name,
    ReturnKind Kind,
    string ResultType,
    string ReturnType,
    EquatableArray<ParameterModel> Parameters,
    string Options);

internal sealed record ParameterModel(string Type, string Name);

internal sealed record DiagnosticModel(string Id, LocationModel Location, string First, string Second, string Third);

/// <summary>A location without references to the compilation, so that models stay cacheable.</summary>
internal sealed record LocationModel(string Path, TextSpan Span, LinePositionSpan Lines)
{
    public static LocationModel From(Location location)
    {
        var lines = location.GetLineSpan();
        return new LocationModel(lines.Path ?? string.Empty, location.SourceSpan, lines.Span);
    }

    public Location ToLocation() => Path.Length == 0 ? Location.None : Location.Create(Path, Span, Lines);
}

/// <summary>An immutable array compared by its elements, for incremental generator models.</summary>
internal readonly struct EquatableArray<T>(ImmutableArray<T> items) : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    private readonly ImmutableArray<T> _items = items;

    public int Count => _items.IsDefault ? 0 : _items.Length;

    public T this[int index] => _items[index];

    public bool Equals(EquatableArray<T> other) =>
        Count == other.Count && (Count == 0 || _items.SequenceEqual(other._items));

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var item in this)
        {
            hash = unchecked((hash * 31) + item.GetHashCode());
        }

        return hash;
    }

    public IEnumerator<T> GetEnumerator() => (_items.IsDefault ? ImmutableArray<T>.Empty : _items).AsEnumerable().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
