using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace HallMonitor.Runtime.Generator;

/// <summary>
/// Generates, for every interface that derives from <c>HallMonitor.Runtime.IGrainWithStringKey</c>, a grain
/// reference class whose methods package their arguments into an invokable and hand it to the runtime,
/// plus a module initializer that registers the reference factories.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GrainReferenceGenerator : IIncrementalGenerator
{
    private const string RuntimeNamespace = "HallMonitor.Runtime";

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly DiagnosticDescriptor UnsupportedMethod = new(
        "HMG001",
        "Grain interface method is not supported",
        "{0}.{1}: {2}",
        "HallMonitor.Grains",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    private static readonly DiagnosticDescriptor GenericInterface = new(
        "HMG002",
        "Generic grain interfaces are not supported",
        "Grain interface {0} is generic; declare a non-generic interface instead",
        "HallMonitor.Grains",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var interfaces = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is InterfaceDeclarationSyntax { BaseList: not null },
                static (syntax, cancellation) => Describe(syntax, cancellation))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .Collect();

        context.RegisterSourceOutput(interfaces, static (production, models) => Emit(production, models));
    }

    private static GrainInterfaceModel? Describe(GeneratorSyntaxContext syntax, System.Threading.CancellationToken cancellation)
    {
        if (syntax.SemanticModel.GetDeclaredSymbol(syntax.Node, cancellation) is not INamedTypeSymbol symbol
            || !symbol.AllInterfaces.Any(IsGrainWithStringKey))
        {
            return null;
        }

        // A partial interface is seen once per declaration; describe it from its first one only.
        if (symbol.DeclaringSyntaxReferences.Length > 1 && symbol.DeclaringSyntaxReferences[0].GetSyntax(cancellation) != syntax.Node)
        {
            return null;
        }

        var diagnostics = new List<DiagnosticModel>();
        var location = LocationModel.From(syntax.Node.GetLocation());
        if (symbol.IsGenericType)
        {
            diagnostics.Add(new DiagnosticModel(GenericInterface.Id, location, symbol.ToDisplayString(), string.Empty, string.Empty));
            return new GrainInterfaceModel(symbol.ToDisplayString(TypeFormat), symbol.Name, string.Empty, default, new EquatableArray<DiagnosticModel>(diagnostics.ToImmutableArray()));
        }

        var methods = new List<MethodModel>();
        var declaringInterfaces = new[] { symbol }.Concat(symbol.AllInterfaces)
            .Where(i => !IsRuntimeMarker(i));
        foreach (var declaring in declaringInterfaces)
        {
            foreach (var method in declaring.GetMembers().OfType<IMethodSymbol>())
            {
                if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || !method.IsAbstract)
                {
                    continue;
                }

                var methodLocation = LocationModel.From(method.Locations.FirstOrDefault() ?? Location.None);
                var problem = Check(method, out var kind, out var resultType);
                if (problem is not null)
                {
                    diagnostics.Add(new DiagnosticModel(UnsupportedMethod.Id, methodLocation, declaring.Name, method.Name, problem));
                    continue;
                }

                var parameters = method.Parameters
                    .Select(p => new ParameterModel(p.Type.ToDisplayString(TypeFormat), p.Name))
                    .ToImmutableArray();
                var attributes = method.GetAttributes().Select(a => a.AttributeClass?.ToDisplayString()).ToList();
                var options = new List<string>();
                if (attributes.Contains(RuntimeNamespace + ".ReadOnlyAttribute"))
                {
                    options.Add("ReadOnly");
                }

                if (attributes.Contains(RuntimeNamespace + ".AlwaysInterleaveAttribute"))
                {
                    options.Add("AlwaysInterleave");
                }

                methods.Add(new MethodModel(
                    declaring.ToDisplayString(TypeFormat),
                    declaring.Name,
                    method.Name,
                    kind,
                    resultType,
                    method.ReturnType.ToDisplayString(TypeFormat),
                    new EquatableArray<ParameterModel>(parameters),
                    string.Join(",", options)));
            }
        }

        var ns = symbol.ContainingNamespace.IsGlobalNamespace ? string.Empty : symbol.ContainingNamespace.ToDisplayString();
        return new GrainInterfaceModel(
            symbol.ToDisplayString(TypeFormat),
            symbol.Name,
            ns,
            new EquatableArray<MethodModel>(methods.ToImmutableArray()),
            new EquatableArray<DiagnosticModel>(diagnostics.ToImmutableArray()));
    }

    private static string? Check(IMethodSymbol method, out ReturnKind kind, out string resultType)
    {
        kind = ReturnKind.Task;
        resultType = string.Empty;
        if (method.IsGenericMethod)
        {
            return "generic methods are not supported";
        }

        if (method.Parameters.Any(p => p.RefKind != RefKind.None))
        {
            return "ref, out and in parameters are not supported";
        }

        if (method.ReturnType is not INamedTypeSymbol returnType)
        {
            return "must return Task, Task<T>, ValueTask or ValueTask<T>";
        }

        var definition = returnType.ConstructedFrom.ToDisplayString();
        switch (definition)
        {
            case "System.Threading.Tasks.Task":
                kind = ReturnKind.Task;
                return null;
            case "System.Threading.Tasks.ValueTask":
                kind = ReturnKind.ValueTask;
                return null;
            case "System.Threading.Tasks.Task<TResult>":
                kind = ReturnKind.TaskOfT;
                resultType = returnType.TypeArguments[0].ToDisplayString(TypeFormat);
                return null;
            case "System.Threading.Tasks.ValueTask<TResult>":
                kind = ReturnKind.ValueTaskOfT;
                resultType = returnType.TypeArguments[0].ToDisplayString(TypeFormat);
                return null;
            default:
                return "must return Task, Task<T>, ValueTask or ValueTask<T>";
        }
    }

    private static bool IsGrainWithStringKey(INamedTypeSymbol type) =>
        type.Name == "IGrainWithStringKey" && type.ContainingNamespace.ToDisplayString() == RuntimeNamespace;

    private static bool IsRuntimeMarker(INamedTypeSymbol type) =>
        type.ContainingNamespace.ToDisplayString() == RuntimeNamespace && type.Name is "IGrain" or "IGrainWithStringKey";

    private static void Emit(SourceProductionContext production, ImmutableArray<GrainInterfaceModel> models)
    {
        if (models.IsDefaultOrEmpty)
        {
            return;
        }

        var registrations = new StringBuilder();
        var usedNames = new HashSet<string>();
        foreach (var model in models)
        {
            foreach (var diagnostic in model.Diagnostics)
            {
                var descriptor = diagnostic.Id == GenericInterface.Id ? GenericInterface : UnsupportedMethod;
                production.ReportDiagnostic(Diagnostic.Create(descriptor, diagnostic.Location.ToLocation(), diagnostic.First, diagnostic.Second, diagnostic.Third));
            }

            if (model.Diagnostics.Count > 0)
            {
                continue;
            }

            var className = ReferenceClassName(model, usedNames);
            production.AddSource(className + ".g.cs", SourceText.From(EmitReference(model, className), Encoding.UTF8));
            registrations.Append("            global::HallMonitor.Runtime.GrainReferenceRegistry.Register<")
                .Append(model.FullName)
                .Append(">(static (grainId, invoker) => new global::HallMonitor.Runtime.Generated.")
                .Append(className)
                .AppendLine("(grainId, invoker));");
        }

        if (registrations.Length == 0)
        {
            return;
        }

        var registration = $$"""
            // <auto-generated/>
            #nullable enable
            namespace HallMonitor.Runtime.Generated
            {
                [global::System.CodeDom.Compiler.GeneratedCode("HallMonitor.Runtime.Generator", "1.0")]
                internal static class GrainReferenceRegistration
                {
                    [global::System.Runtime.CompilerServices.ModuleInitializer]
                    internal static void Register()
                    {
            {{registrations}}        }
                }
            }
            """;
        production.AddSource("GrainReferenceRegistration.g.cs", SourceText.From(registration, Encoding.UTF8));
    }

    private static string ReferenceClassName(GrainInterfaceModel model, HashSet<string> used)
    {
        var name = model.Name.Length > 1 && model.Name[0] == 'I' && char.IsUpper(model.Name[1]) ? model.Name.Substring(1) : model.Name;
        var candidate = name + "Reference";
        for (var i = 2; !used.Add(candidate); i++)
        {
            candidate = name + "Reference" + i;
        }

        return candidate;
    }

    private static string EmitReference(GrainInterfaceModel model, string className)
    {
        var members = new StringBuilder();
        var invokables = new StringBuilder();
        var index = 0;
        foreach (var method in model.Methods)
        {
            var invokable = method.Name + "Invokable" + index++;
            var parameterList = string.Join(", ", method.Parameters.Select(p => p.Type + " @" + p.Name));
            var argumentList = string.Join(", ", method.Parameters.Select(p => "@" + p.Name));
            var fieldArguments = string.Join(", ", method.Parameters.Select((_, i) => "_arg" + i));
            var options = method.Options.Length == 0
                ? "global::HallMonitor.Runtime.InvokeOptions.None"
                : string.Join(" | ", method.Options.Split(',').Select(o => "global::HallMonitor.Runtime.InvokeOptions." + o));

            var call = $"InvokeAsync(new {invokable}({argumentList}))";
            var body = method.Kind switch
            {
                ReturnKind.ValueTask => $"new global::System.Threading.Tasks.ValueTask({call})",
                ReturnKind.ValueTaskOfT => $"new {method.ReturnType}({call})",
                _ => call,
            };
            members.AppendLine($"        {method.ReturnType} {method.DeclaringInterface}.{method.Name}({parameterList}) => {body};");
            members.AppendLine();

            var baseType = method.Kind is ReturnKind.Task or ReturnKind.ValueTask
                ? "global::HallMonitor.Runtime.VoidGrainInvokable"
                : $"global::HallMonitor.Runtime.GrainInvokable<{method.ResultType}>";
            var invokeReturn = method.Kind is ReturnKind.Task or ReturnKind.ValueTask
                ? "global::System.Threading.Tasks.Task"
                : $"global::System.Threading.Tasks.Task<{method.ResultType}>";
            var asTask = method.Kind is ReturnKind.ValueTask or ReturnKind.ValueTaskOfT ? ".AsTask()" : string.Empty;

            var fields = new StringBuilder();
            var constructorParameters = string.Join(", ", method.Parameters.Select(p => p.Type + " @" + p.Name));
            var assignments = new StringBuilder();
            for (var i = 0; i < method.Parameters.Count; i++)
            {
                fields.AppendLine($"            private readonly {method.Parameters[i].Type} _arg{i};");
                assignments.AppendLine($"                _arg{i} = @{method.Parameters[i].Name};");
            }

            invokables.AppendLine($$"""
                    private sealed class {{invokable}} : {{baseType}}
                    {
            {{fields}}
                        public {{invokable}}({{constructorParameters}})
                        {
            {{assignments}}            }

                        public override string MethodName => "{{method.DeclaringName}}.{{method.Name}}";

                        public override global::HallMonitor.Runtime.InvokeOptions Options => {{options}};

                        public override object?[] GetArguments() => new object?[] { {{fieldArguments}} };

                        public override {{invokeReturn}} InvokeAsync(object grain) => (({{method.DeclaringInterface}})grain).{{method.Name}}({{fieldArguments}}){{asTask}};
                    }

            """);
        }

        return $$"""
            // <auto-generated/>
            #nullable enable
            namespace HallMonitor.Runtime.Generated
            {
                /// <summary>Grain reference for <see cref="{{model.FullName}}"/>.</summary>
                [global::System.CodeDom.Compiler.GeneratedCode("HallMonitor.Runtime.Generator", "1.0")]
                internal sealed class {{className}} : global::HallMonitor.Runtime.GrainReference, {{model.FullName}}
                {
                    public {{className}}(global::HallMonitor.Runtime.GrainId grainId, global::HallMonitor.Runtime.IGrainCallInvoker invoker)
                        : base(grainId, invoker)
                    {
                    }

            {{members}}{{invokables}}    }
            }
            """;
    }
}
