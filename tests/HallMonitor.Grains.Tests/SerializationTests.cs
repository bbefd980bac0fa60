using System.Collections;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace HallMonitor.Grains.Tests;

/// <summary>
/// Every type that crosses a grain boundary survives Orleans' serializer and copier. Calls inside one silo only
/// copy; the serializer runs when the web edge is a client of the cluster or a grain lives on another silo, so a
/// type without a codec (for example <see cref="JsonElement"/>) compiles, passes every in-process test and fails
/// with <c>CodecNotFoundException</c> in a cluster. The serializer is built as Orleans' own tests build it.
/// </summary>
public sealed class SerializationTests
{
    private static readonly Assembly Abstractions = typeof(IHallGrain).Assembly;

    private static readonly IServiceProvider Services = new ServiceCollection()
        .AddSerializer(serializer => serializer.AddAssembly(Abstractions))
        .BuildServiceProvider();

    private static readonly Serializer Serializer = Services.GetRequiredService<Serializer>();

    private static readonly DeepCopier Copier = Services.GetRequiredService<DeepCopier>();

    private static readonly ICodecProvider Codecs = Services.GetRequiredService<ICodecProvider>();

    public static TheoryData<string> RecordTypes => [.. BoundarySamples.Records.Select(sample => sample.GetType().Name)];

    public static TheoryData<string> EventTypes => [.. ConcreteSubclassesOf(typeof(HallEvent)).Select(type => type.Name)];

    public static TheoryData<string> ExceptionTypes => [.. ConcreteSubclassesOf(typeof(HallMonitorException)).Select(type => type.Name)];

    public static TheoryData<string> EnumTypes => [.. Abstractions.GetExportedTypes().Where(type => type.IsEnum).Select(type => type.Name)];

    [Fact]
    public void Samples_CoverEveryTypeWithAGeneratedSerializer()
    {
        var generated = Abstractions.GetExportedTypes()
            .Where(type => type.IsDefined(typeof(GenerateSerializerAttribute)) && !type.IsAbstract && !type.IsEnum)
            .Select(type => type.Name);

        var missing = generated.Except(BoundarySamples.ByType.Keys.Select(type => type.Name)).Order();

        Assert.Empty(missing);
        Assert.Contains(typeof(TicketView), BoundarySamples.ByType.Keys);
    }

    [Theory]
    [MemberData(nameof(RecordTypes))]
    [MemberData(nameof(EventTypes))]
    public void Sample_IsFullyPopulated(string type)
    {
        var sample = Sample(type);

        Assert.Empty(Unpopulated(sample));
    }

    [Theory]
    [MemberData(nameof(RecordTypes))]
    public void Record_RoundTripsToAnEqualValue(string type)
    {
        var sample = Sample(type);

        var serialized = RoundTrip(sample);
        var copied = Copy(sample);

        Assert.IsType(sample.GetType(), serialized);
        Assert.Equal(Json(sample), Json(serialized));
        Assert.IsType(sample.GetType(), copied);
        Assert.Equal(Json(sample), Json(copied));
    }

    [Theory]
    [MemberData(nameof(RecordTypes))]
    public void Record_RoundTripsAsAnObject_ByItsAlias(string type)
    {
        var sample = Sample(type);

        var serialized = Serializer.Deserialize<object>(Serializer.SerializeToArray<object>(sample));

        Assert.IsType(sample.GetType(), serialized);
        Assert.Equal(Json(sample), Json(serialized));
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void HallEvent_RoundTripsAsAHallEvent_KeepingItsConcreteType(string type)
    {
        var hallEvent = (HallEvent)Sample(type);

        var serialized = Serializer.Deserialize<HallEvent>(Serializer.SerializeToArray(hallEvent));
        var copied = Copier.Copy(hallEvent);

        Assert.Equal(hallEvent, serialized);
        Assert.IsType(hallEvent.GetType(), serialized);
        Assert.Equal(hallEvent, copied);
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void JournalRecord_OfEachEventType_RoundTripsWithItsEventStillDecodable(string type)
    {
        var hallEvent = (HallEvent)Sample(type);
        var record = BoundarySamples.Record(hallEvent);

        var serialized = Serializer.Deserialize<JournalRecord>(Serializer.SerializeToArray(record));
        var copied = Copier.Copy(record);

        Assert.NotNull(serialized);
        Assert.Equal(record, serialized);
        Assert.Equal(hallEvent, serialized.Event);
        Assert.IsType(hallEvent.GetType(), serialized.Event);
        Assert.Equal(hallEvent, copied.Event);
    }

    [Theory]
    [MemberData(nameof(ExceptionTypes))]
    public void DomainException_RoundTripsAsAnException_KeepingItsTypeAndMessage(string type)
    {
        var exception = (Exception)Sample(type);

        var serialized = Serializer.Deserialize<Exception>(Serializer.SerializeToArray<Exception>(exception));
        var copied = Copier.Copy<Exception>(exception);

        Assert.IsType(exception.GetType(), serialized);
        Assert.Equal(exception.Message, serialized.Message);
        Assert.StartsWith(exception.StackTrace!, serialized.StackTrace, StringComparison.Ordinal);
        Assert.IsType(exception.GetType(), copied);
        Assert.Equal(exception.Message, copied.Message);
    }

    [Fact]
    public void JournalUnavailableException_CarriesItsCauseAsText_EvenACauseWithoutACodec()
    {
        // A store's exceptions (a refused fork, a database driver's) have no Orleans codec; as an inner
        // exception they failed the whole response with CodecNotFoundException (a 500 at the edge).
        var exception = BoundarySamples.Exceptions.OfType<JournalUnavailableException>().Single();

        var serialized = Assert.IsType<JournalUnavailableException>(Serializer.Deserialize<Exception>(Serializer.SerializeToArray<Exception>(exception)));

        Assert.Null(serialized.InnerException);
        Assert.Equal("JournalForkException: Hall 'xinqu': event 48 does not continue the stored journal.", serialized.Cause);
    }

    [Theory]
    [MemberData(nameof(EnumTypes))]
    public void Enum_RoundTripsEveryValue(string type)
    {
        var enumType = Abstractions.GetExportedTypes().Single(t => t.Name == type);
        var values = Enum.GetValues(enumType).Cast<object>().ToList();

        var serialized = values.Select(RoundTrip).ToList();

        Assert.True(values.Count > 1, $"{type} has fewer than two values.");
        Assert.Equal(values, serialized);
    }

    [Fact]
    public void GrainInterfaces_AreAllFound()
    {
        Assert.Equal(
            ["ICaseGrain", "IFollowUpGrain", "IForecastGrain", "IHallGrain", "IMatterGrain", "IReportGrain", "ITicketGrain", "IWindowGrain"],
            GrainInterfaces().Select(type => type.Name).Order());
    }

    [Fact]
    public void EveryGrainMethod_HasCodecsAndCopiersForItsParametersResultsAndTheirMembers()
    {
        var problems = new List<string>();
        var seen = new HashSet<Type>();
        var methods = GrainInterfaces().SelectMany(type => type.GetMethods()).ToList();
        foreach (var method in methods)
        {
            var where = $"{method.DeclaringType!.Name}.{method.Name}";
            foreach (var parameter in method.GetParameters())
            {
                RequireCodec(parameter.ParameterType, $"{where}({parameter.Name})", seen, problems);
            }

            if (ResultType(method.ReturnType) is { } result)
            {
                RequireCodec(result, $"{where} result", seen, problems);
            }
        }

        // A grain call may also end with a domain exception.
        foreach (var exception in ConcreteSubclassesOf(typeof(HallMonitorException)))
        {
            RequireCodec(exception, "thrown", seen, problems);
        }

        Assert.True(methods.Count >= 30, $"Only {methods.Count} grain methods were found.");
        Assert.Contains(typeof(HallSnapshot), seen);
        Assert.Contains(typeof(TicketHistoryEntry), seen);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, ["These would fail grain calls at run time:", .. problems]));
    }

    private static IEnumerable<Type> GrainInterfaces() =>
        Abstractions.GetExportedTypes().Where(type => type.IsInterface && typeof(IGrain).IsAssignableFrom(type));

    private static IEnumerable<Type> ConcreteSubclassesOf(Type baseType) =>
        Abstractions.GetExportedTypes().Where(type => !type.IsAbstract && type.IsSubclassOf(baseType)).OrderBy(type => type.Name);

    /// <summary>What a grain method answers: <c>T</c> of <c>Task&lt;T&gt;</c>, nothing for <c>Task</c>.</summary>
    private static Type? ResultType(Type returnType) =>
        returnType == typeof(Task) || returnType == typeof(ValueTask) || returnType == typeof(void) ? null
        : returnType.IsGenericType && (returnType.GetGenericTypeDefinition() == typeof(Task<>) || returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? returnType.GetGenericArguments()[0]
            : returnType;

    /// <summary>
    /// Asks Orleans for a codec and a copier of <paramref name="type"/>, then of its generic arguments, array
    /// elements, members, and (for our abstract types) every concrete subclass: a codec of a list is found
    /// before it is asked for its elements' codec.
    /// </summary>
    private static void RequireCodec(Type type, string path, HashSet<Type> seen, List<string> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (!seen.Add(type))
        {
            return;
        }

        var name = type.IsGenericType || type.IsArray ? type.ToString() : type.Name;
        if (type.IsInterface && typeof(IAddressable).IsAssignableFrom(type))
        {
            return;
        }

        if (Ask(() => Codecs.TryGetCodec(type)) is string noCodec)
        {
            problems.Add($"{path}: {name} has no Orleans codec ({noCodec})");
        }

        if (Ask(() => Codecs.TryGetDeepCopier(type)) is string noCopier)
        {
            problems.Add($"{path}: {name} has no Orleans copier ({noCopier})");
        }

        if (type.HasElementType)
        {
            RequireCodec(type.GetElementType()!, $"{path} element", seen, problems);
        }

        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            RequireCodec(argument, $"{path} <{argument.Name}>", seen, problems);
        }

        if (type.Assembly != Abstractions || type.IsEnum || typeof(Exception).IsAssignableFrom(type))
        {
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            RequireCodec(property.PropertyType, $"{path} → {type.Name}.{property.Name}", seen, problems);
        }

        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Where(f => f.IsDefined(typeof(IdAttribute))))
        {
            RequireCodec(field.FieldType, $"{path} → {type.Name}.{field.Name}", seen, problems);
        }

        if (type.IsAbstract)
        {
            foreach (var subclass in ConcreteSubclassesOf(type))
            {
                RequireCodec(subclass, $"{path} → {subclass.Name}", seen, problems);
            }
        }
    }

    /// <summary>Null when Orleans answers; else why not (no answer, or the exception it threw while building one).</summary>
    private static string? Ask(Func<object?> lookup)
    {
        try
        {
            return lookup() is null ? "none found" : null;
        }
        catch (Exception exception) when (exception is CodecNotFoundException or InvalidOperationException or TargetInvocationException)
        {
            return (exception.InnerException ?? exception).Message;
        }
    }

    private static object Sample(string type)
    {
        var sample = BoundarySamples.ByType.FirstOrDefault(pair => pair.Key.Name == type).Value;
        Assert.True(sample is not null, $"BoundarySamples has no {type}: add a fully populated one.");
        return sample;
    }

    /// <summary>Serializes and deserializes <paramref name="value"/> as its own type, the way a grain call carries a parameter.</summary>
    private static object RoundTrip(object value) =>
        typeof(SerializationTests).GetMethod(nameof(RoundTripAs), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(value.GetType())
            .Invoke(null, [value])!;

    private static T? RoundTripAs<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value));

    private static object Copy(object value) =>
        typeof(SerializationTests).GetMethod(nameof(CopyAs), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(value.GetType())
            .Invoke(null, [value])!;

    private static T? CopyAs<T>(T value) => Copier.Copy(value);

    /// <summary>Records holding lists compare by reference; their JSON compares by value, offsets of times included.</summary>
    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), HallMonitorJson.Options);

    /// <summary>
    /// The properties of <paramref name="sample"/> that are null, empty or their default, and null items of its lists
    /// (a count of zero in a list is a value). Boundary types it holds have samples of their own, checked on their own.
    /// </summary>
    private static IEnumerable<string> Unpopulated(object sample)
    {
        var properties = sample.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0);
        foreach (var property in properties)
        {
            var value = property.GetValue(sample);
            if (value is IEnumerable items and not string)
            {
                var list = items.Cast<object?>().ToList();
                if (list.Count == 0 || list.Contains(null))
                {
                    yield return $"{property.Name} is empty or holds null";
                }
            }
            else if (IsNullOrDefault(value))
            {
                yield return $"{property.Name} is {value ?? "null"}";
            }
        }
    }

    private static bool IsNullOrDefault(object? value) =>
        value is null or "" || value.GetType().IsValueType && value.Equals(Activator.CreateInstance(value.GetType()));
}
