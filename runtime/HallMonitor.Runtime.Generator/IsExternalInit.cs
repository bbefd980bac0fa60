namespace System.Runtime.CompilerServices;

/// <summary>Lets records compile for netstandard2.0, where the compiler needs this marker type.</summary>
internal static class IsExternalInit;
