using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace HallMonitor.Runtime;

/// <summary>What the runtime knows about a grain class: its type name, scheduling and how to construct it.</summary>
internal sealed class GrainClass
{
    private readonly ObjectFactory _factory;
    private readonly StateParameter[] _states;

    public GrainClass(Type type)
    {
        if (!typeof(Grain).IsAssignableFrom(type) || type.IsAbstract)
        {
            throw new ArgumentException($"{type} is not a concrete grain class.", nameof(type));
        }

        Type = type;
        Name = type.GetCustomAttribute<GrainTypeAttribute>()?.Name ?? DefaultName(type);
        IsReentrant = type.GetCustomAttribute<ReentrantAttribute>() is not null;

        var constructors = type.GetConstructors();
        if (constructors.Length != 1)
        {
            throw new ArgumentException($"Grain class {type} must have exactly one public constructor.", nameof(type));
        }

        _states = [.. constructors[0].GetParameters()
            .Select(p => (Parameter: p, Attribute: p.GetCustomAttribute<PersistentStateAttribute>()))
            .Where(p => p.Attribute is not null)
            .Select(p => new StateParameter(p.Parameter.ParameterType, p.Attribute!))];
        if (_states.Select(s => s.ParameterType).Distinct().Count() != _states.Length)
        {
            throw new ArgumentException($"Grain class {type} takes two persistent states of the same type.", nameof(type));
        }

        foreach (var state in _states)
        {
            if (!state.ParameterType.IsGenericType || state.ParameterType.GetGenericTypeDefinition() != typeof(IPersistentState<>))
            {
                throw new ArgumentException($"[PersistentState] on {type} must mark an IPersistentState<T> parameter.", nameof(type));
            }
        }

        _factory = ActivatorUtilities.CreateFactory(type, [.. _states.Select(s => s.ParameterType)]);
    }

    public Type Type { get; }

    public string Name { get; }

    public bool IsReentrant { get; }

    public (object[] Arguments, IPersistentStateLoader[] Loaders) CreateStates(GrainId grainId, IServiceProvider services)
    {
        if (_states.Length == 0)
        {
            return ([], []);
        }

        var arguments = new object[_states.Length];
        var loaders = new IPersistentStateLoader[_states.Length];
        for (var i = 0; i < _states.Length; i++)
        {
            var storage = services.GetRequiredKeyedService<IGrainStorage>(_states[i].Attribute.StorageName);
            var stateType = typeof(PersistentState<>).MakeGenericType(_states[i].ParameterType.GetGenericArguments()[0]);
            var state = Activator.CreateInstance(stateType, _states[i].Attribute.StateName, grainId, storage)!;
            arguments[i] = state;
            loaders[i] = (IPersistentStateLoader)state;
        }

        return (arguments, loaders);
    }

    public Grain Create(IServiceProvider services, object[] arguments) => (Grain)_factory(services, arguments);

    private static string DefaultName(Type type)
    {
        var name = type.Name.EndsWith("Grain", StringComparison.Ordinal) && type.Name.Length > "Grain".Length
            ? type.Name[..^"Grain".Length]
            : type.Name;
        return name.ToLowerInvariant();
    }

    private sealed record StateParameter(Type ParameterType, PersistentStateAttribute Attribute);
}
