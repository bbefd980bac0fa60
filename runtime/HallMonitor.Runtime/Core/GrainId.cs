namespace HallMonitor.Runtime;

/// <summary>The identity of a grain: its type name and its key, for example <c>window/xinqu/05</c>.</summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}
