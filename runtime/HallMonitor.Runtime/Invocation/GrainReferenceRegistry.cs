using System.Collections.Concurrent;

namespace HallMonitor.Runtime;

/// <summary>
/// The factories of generated grain references, one per grain interface. The source generator registers
/// them from a module initializer in the assembly that declares the interfaces.
/// </summary>
public static class GrainReferenceRegistry
{
    private static readonly ConcurrentDictionary<Type, Func<GrainId, IGrainCallInvoker, GrainReference>> Factories = new();

    public static void Register<TGrainInterface>(Func<GrainId, IGrainCallInvoker, GrainReference> factory)
        where TGrainInterface : IGrain
        => Factories[typeof(TGrainInterface)] = factory;

    public static TGrainInterface Create<TGrainInterface>(GrainId grainId, IGrainCallInvoker invoker)
        where TGrainInterface : IGrain
        => (TGrainInterface)(object)Create(typeof(TGrainInterface), grainId, invoker);

    public static GrainReference Create(Type grainInterface, GrainId grainId, IGrainCallInvoker invoker)
    {
        if (!Factories.TryGetValue(grainInterface, out var factory))
        {
            // The module initializer runs when the interface's assembly is first touched; make sure it has.
            System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(grainInterface.Module.ModuleHandle);
            if (!Factories.TryGetValue(grainInterface, out factory))
            {
                throw new InvalidOperationException(
                    $"No grain reference is generated for {grainInterface.FullName}. The project that declares it must reference the HallMonitor.Runtime.Generator analyzer.");
            }
        }

        return factory(grainId, invoker);
    }
}
