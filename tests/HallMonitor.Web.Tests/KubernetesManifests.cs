using System.Diagnostics;
using System.Text.Json;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace HallMonitor.Web.Tests;

/// <summary>
/// The manifests under k8s/ as <c>kubectl apply -k k8s/</c> takes them: the kustomization's resources (each file must
/// exist inside k8s/, which kustomize's load restrictor requires) and the ConfigMaps it generates.
/// </summary>
internal sealed class KubernetesManifests
{
    public static readonly string Folder = RepositoryFiles.PathOf("k8s");

    private KubernetesManifests(Kustomization kustomization, IReadOnlyList<IKubernetesObject> objects)
    {
        Kustomization = kustomization;
        Objects = objects;
    }

    public Kustomization Kustomization { get; }

    /// <summary>
    /// Every object of every resource file in the Kubernetes client's models, read leniently so that one wrong field
    /// fails only the schema test (<see cref="ManifestValidator"/>), with its name, and not every test of the shape.
    /// </summary>
    public IReadOnlyList<IKubernetesObject> Objects { get; }

    public static KubernetesManifests Load()
    {
        var kustomization = Kustomization.Load(Path.Combine(Folder, "kustomization.yaml"));
        var objects = kustomization.Resources
            .SelectMany(file => KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Folder, file))))
            .Cast<IKubernetesObject>()
            .ToList();
        return new KubernetesManifests(kustomization, objects);
    }

    public T Single<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Objects.OfType<T>().Single(o => o.Metadata.Name == name);

    /// <summary>The image a container runs once the kustomization's <c>images</c> overrides are applied.</summary>
    public string EffectiveImage(string image)
    {
        var name = image.Split(':')[0];
        var overrides = Kustomization.Images.SingleOrDefault(i => i.Name == name);
        return overrides is null ? image : $"{overrides.NewName ?? name}:{overrides.NewTag}";
    }
}

/// <summary>The parts of kustomization.yaml this repository uses; any other field fails to load.</summary>
internal sealed class Kustomization
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public string? Namespace { get; set; }

    public List<string> Resources { get; set; } = [];

    public List<ImageOverride> Images { get; set; } = [];

    public List<ConfigMapGeneratorEntry> ConfigMapGenerator { get; set; } = [];

    public static Kustomization Load(string path) =>
        new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
            .Deserialize<Kustomization>(File.ReadAllText(path));

    /// <summary>Every file the kustomization loads, relative to its folder.</summary>
    public IEnumerable<string> Files => Resources.Concat(ConfigMapGenerator.SelectMany(g => g.Files));

    internal sealed class ImageOverride
    {
        public string Name { get; set; } = "";

        public string? NewName { get; set; }

        public string? NewTag { get; set; }
    }

    internal sealed class ConfigMapGeneratorEntry
    {
        public string Name { get; set; } = "";

        public List<string> Files { get; set; } = [];

        public GeneratorOptions? Options { get; set; }
    }

    internal sealed class GeneratorOptions
    {
        public bool DisableNameSuffixHash { get; set; }

        public Dictionary<string, string> Labels { get; set; } = [];
    }
}

/// <summary>
/// Checks manifests against the Kubernetes API schemas, offline, in two passes: the Kubernetes client's generated
/// models read strictly (an unknown or misspelled field, a value of the wrong shape), then the OpenAPI-derived JSON
/// schemas of the npm package kubernetes-models (types, formats, enums, required fields: a quoted number too).
/// </summary>
internal static class ManifestValidator
{
    private static readonly string Validator = RepositoryFiles.PathOf("k8s", "validate");

    private static readonly Lazy<Task> Installed = new(InstallAsync);

    /// <summary>What is wrong with a multi-document YAML text; empty when every document is valid.</summary>
    public static async Task<IReadOnlyList<string>> ValidateAsync(string yaml)
    {
        var errors = new List<string>();
        try
        {
            KubernetesYaml.LoadAllFromString(yaml, strict: true);
        }
        catch (Exception exception) when (exception is YamlDotNet.Core.YamlException or KeyNotFoundException)
        {
            errors.Add($"{exception.Message} {exception.InnerException?.Message}".Trim());
        }

        await Installed.Value;
        var (exit, output, error) = await RunAsync("node", Validator, yaml, "validate.mjs", "-");
        Assert.True(exit == 0, error);
        using var report = JsonDocument.Parse(output);
        errors.AddRange(report.RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => $"{e.GetProperty("kind")} {e.GetProperty("name")}: {e.GetProperty("message").GetString()}"));
        return errors;
    }

    /// <summary>kubernetes-models as package-lock.json pins it, installed once when node_modules is missing.</summary>
    private static async Task InstallAsync()
    {
        if (!File.Exists(Path.Combine(Validator, "node_modules", ".package-lock.json")))
        {
            var (exit, output, error) = await RunAsync("npm", Validator, null, "ci", "--no-audit", "--no-fund", "--loglevel=error");
            Assert.True(exit == 0, output + error);
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string program, string folder, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input ?? "");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
