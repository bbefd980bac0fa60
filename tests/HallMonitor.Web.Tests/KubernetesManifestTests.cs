using System.Text.RegularExpressions;
using k8s.Models;

namespace HallMonitor.Web.Tests;

/// <summary>The k8s/ manifests: valid against the Kubernetes schemas, complete, and shaped as an Orleans cluster needs.</summary>
public sealed partial class KubernetesManifestTests
{
    private static readonly KubernetesManifests Manifests = KubernetesManifests.Load();

    public static TheoryData<string> Workloads => new() { "silo", "web" };

    [Fact]
    public void Kustomization_LoadsOnlyFilesInsideK8s_AndListsEveryManifest()
    {
        var folder = Path.GetFullPath(KubernetesManifests.Folder) + Path.DirectorySeparatorChar;
        var files = Manifests.Kustomization.Files.ToList();
        var manifestsOnDisk = Directory.GetFiles(KubernetesManifests.Folder, "*.yaml")
            .Select(Path.GetFileName)
            .Where(name => name != "kustomization.yaml");

        Assert.Equal(("kustomize.config.k8s.io/v1beta1", "Kustomization"), (Manifests.Kustomization.ApiVersion, Manifests.Kustomization.Kind));
        Assert.All(files, file => Assert.StartsWith(folder, Path.GetFullPath(Path.Combine(KubernetesManifests.Folder, file)), StringComparison.Ordinal));
        Assert.Equal([], files.Where(file => !File.Exists(Path.Combine(KubernetesManifests.Folder, file))));
        Assert.Equal(manifestsOnDisk.Order(StringComparer.Ordinal), Manifests.Kustomization.Resources.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryManifest_MatchesTheKubernetesSchemas()
    {
        foreach (var file in Manifests.Kustomization.Resources)
        {
            var errors = await ManifestValidator.ValidateAsync(File.ReadAllText(Path.Combine(KubernetesManifests.Folder, file)));

            Assert.True(errors.Count == 0, $"{file}: {string.Join("; ", errors)}");
        }
    }

    [Theory]
    [InlineData("livenessProbe:", "livenesProbe:", "a misspelled field")]
    [InlineData("replicas: 2", "replicas: two", "a word for a number")]
    [InlineData("containerPort: 8080", "containerPort: \"8080\"", "a quoted number")]
    [InlineData("protocol: TCP", "protocol: TCPP", "a value outside the enum")]
    [InlineData("kind: Deployment", "kind: Deploymnt", "an unknown kind")]
    public async Task Validator_RejectsABrokenManifest(string valid, string broken, string because)
    {
        const string manifest = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: broken
            spec:
              replicas: 2
              selector:
                matchLabels: {app: broken}
              template:
                metadata:
                  labels: {app: broken}
                spec:
                  containers:
                    - name: app
                      image: example/app:1.0.0
                      ports:
                        - containerPort: 8080
                          protocol: TCP
                      livenessProbe:
                        httpGet: {path: /healthz, port: 8080}
            """;

        var errorsOfValid = await ManifestValidator.ValidateAsync(manifest);
        var errorsOfBroken = await ManifestValidator.ValidateAsync(manifest.Replace(valid, broken, StringComparison.Ordinal));

        Assert.Contains(valid, manifest, StringComparison.Ordinal);
        Assert.Equal([], errorsOfValid);
        Assert.True(errorsOfBroken.Count > 0, $"{because} passed validation");
    }

    [Fact]
    public void HallsConfigMap_IsTheWebHallsFileAndItsCalendars()
    {
        var generator = Manifests.Kustomization.ConfigMapGenerator.Single(g => g.Name == "hallmonitor-halls");
        var calendars = Directory.GetFiles(RepositoryFiles.PathOf("web", "calendars"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(["halls.json", .. calendars.Select(c => $"calendars/{c}")], generator.Files);
        foreach (var file in generator.Files)
        {
            Assert.Equal(File.ReadAllBytes(RepositoryFiles.PathOf(["web", .. file.Split('/')])), File.ReadAllBytes(Path.Combine(KubernetesManifests.Folder, file)));
        }
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void HallsVolume_PutsEachCalendarInACalendarsFolderNextToTheHallsFile(string name)
    {
        var generator = Manifests.Kustomization.ConfigMapGenerator.Single(g => g.Name == "hallmonitor-halls");
        var items = Manifests.Single<V1Deployment>(name).Spec.Template.Spec.Volumes.Single(v => v.Name == "halls").ConfigMap.Items;

        // kustomize keys a file by its name; a volume with items mounts only the keys it lists.
        Assert.Equal(
            generator.Files.Select(file => (file.Split('/')[^1], file)),
            items.Select(item => (item.Key, item.Path)));
    }

    [Fact]
    public void MonitoringConfigMaps_AreTheFilesThatTheTestsCheck()
    {
        var files = Manifests.Kustomization.ConfigMapGenerator.SelectMany(g => g.Files);

        Assert.Contains("monitoring/prometheus/hallmonitor-rules.yml", files);
        Assert.Contains("monitoring/grafana/hallmonitor-dashboard.json", files);
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Workload_RollsWithoutLosingAReplica(string name)
    {
        var deployment = Manifests.Single<V1Deployment>(name);
        var budget = Manifests.Single<V1PodDisruptionBudget>(name);

        Assert.True(deployment.Spec.Replicas >= 2);
        Assert.Equal("RollingUpdate", deployment.Spec.Strategy.Type);
        Assert.Equal("0", deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
        Assert.True(budget.Spec.MinAvailable is not null || budget.Spec.MaxUnavailable?.Value == "1");
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Workload_ProbesLivenessLocallyAndReadinessThroughTheCluster(string name)
    {
        var container = Manifests.Single<V1Deployment>(name).Spec.Template.Spec.Containers.Single();

        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz", container.StartupProbe.HttpGet.Path);
        Assert.All([container.LivenessProbe, container.ReadinessProbe, container.StartupProbe], probe => Assert.Equal("http", probe.HttpGet.Port.Value));
        Assert.Contains(container.Ports, port => port.Name == "http" && port.ContainerPort == 8080);
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Workload_IsScrapedByPrometheus(string name)
    {
        var annotations = Manifests.Single<V1Deployment>(name).Spec.Template.Metadata.Annotations;

        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal("8080", annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", annotations["prometheus.io/path"]);
    }

    [Fact]
    public void EveryPod_RunsNonRootOnAReadOnlyRoot()
    {
        var pods = Manifests.Objects.OfType<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template.Spec))
            .Concat(Manifests.Objects.OfType<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template.Spec)))
            .ToList();

        Assert.Equal(["postgres", "redis", "silo", "web"], pods.Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var (name, pod) in pods)
        {
            Assert.True(pod.SecurityContext.RunAsNonRoot, name);
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
            Assert.False(pod.AutomountServiceAccountToken, name);
            foreach (var container in pod.Containers)
            {
                Assert.True(container.SecurityContext.RunAsNonRoot, name);
                Assert.True(container.SecurityContext.ReadOnlyRootFilesystem, name);
                Assert.False(container.SecurityContext.AllowPrivilegeEscalation, name);
                Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void DotNetPods_RunAsTheImageUser_WithAWritableTmp(string name)
    {
        var pod = Manifests.Single<V1Deployment>(name).Spec.Template.Spec;
        var tmp = pod.Containers.Single().VolumeMounts.Single(m => m.MountPath == "/tmp");

        Assert.Equal(1654, pod.SecurityContext.RunAsUser);
        Assert.NotNull(pod.Volumes.Single(v => v.Name == tmp.Name).EmptyDir);
    }

    [Fact]
    public void Silo_HasACpuRequestAndNoCpuLimit()
    {
        var resources = Manifests.Single<V1Deployment>("silo").Spec.Template.Spec.Containers.Single().Resources;

        Assert.True(resources.Requests.ContainsKey("cpu"));
        Assert.False(resources.Limits.ContainsKey("cpu"));
        Assert.True(resources.Requests.ContainsKey("memory"));
        Assert.True(resources.Limits.ContainsKey("memory"));
    }

    [Fact]
    public void Silo_AdvertisesItsPodIpAndName_FromTheDownwardApi()
    {
        var silo = Manifests.Single<V1Deployment>("silo").Spec.Template.Spec.Containers.Single();
        var env = silo.Env.ToDictionary(e => e.Name);

        Assert.Equal("status.podIP", env["HallMonitor__AdvertisedIP"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.name", env["HallMonitor__SiloName"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("11111", env["HallMonitor__SiloPort"].Value);
        Assert.Equal("30000", env["HallMonitor__GatewayPort"].Value);
        Assert.Contains(silo.Ports, port => port.Name == "silo" && port.ContainerPort == 11111);
        Assert.Contains(silo.Ports, port => port.Name == "gateway" && port.ContainerPort == 30000);
    }

    [Fact]
    public void Silo_HasTimeToHandItsGrainsOver()
    {
        var pod = Manifests.Single<V1Deployment>("silo").Spec.Template.Spec;
        var hostTimeout = int.Parse(pod.Containers.Single().Env.Single(e => e.Name == "DOTNET_shutdownTimeoutSeconds").Value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(hostTimeout >= 60);
        Assert.True(pod.TerminationGracePeriodSeconds > hostTimeout);
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Workload_JoinsTheSameCluster(string name)
    {
        var pod = Manifests.Single<V1Deployment>(name).Spec.Template.Spec;
        var env = pod.Containers.Single().Env.ToDictionary(e => e.Name);
        var halls = pod.Containers.Single().VolumeMounts.Single(m => m.Name == "halls");

        Assert.Equal("redis", env["HallMonitor__Clustering"].Value);
        Assert.Equal("redis-connection", env["HallMonitor__Redis"].ValueFrom.SecretKeyRef.Key);
        Assert.Equal("hallmonitor", env["HallMonitor__ClusterId"].Value);
        Assert.Equal("hallmonitor", env["HallMonitor__ServiceId"].Value);
        Assert.Equal("false", env["HallMonitor__Dashboard"].Value);
        Assert.Equal($"{halls.MountPath}/halls.json", env["HallMonitor__HallsFile"].Value);
        Assert.Equal("hallmonitor-halls", pod.Volumes.Single(v => v.Name == "halls").ConfigMap.Name);
    }

    [Fact]
    public void Web_IsAClientOfTheSilos_AndSilosKeepTheJournalInPostgres()
    {
        var web = Manifests.Single<V1Deployment>("web").Spec.Template.Spec.Containers.Single().Env.ToDictionary(e => e.Name);
        var silo = Manifests.Single<V1Deployment>("silo").Spec.Template.Spec.Containers.Single().Env.ToDictionary(e => e.Name);

        Assert.Equal("client", web["HallMonitor__Silo"].Value);
        Assert.Equal("postgres", silo["HallMonitor__Storage"].Value);
        Assert.Equal("postgres-connection", silo["HallMonitor__Postgres"].ValueFrom.SecretKeyRef.Key);
    }

    [Fact]
    public void EverySecretReference_NamesAKeyOfTheSecret_AndPasswordsArePlaceholders()
    {
        var secret = Manifests.Single<V1Secret>("hallmonitor-secrets");
        var references = Manifests.Objects.OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers)
            .Concat(Manifests.Objects.OfType<V1StatefulSet>().SelectMany(s => s.Spec.Template.Spec.Containers))
            .SelectMany(c => c.Env ?? [])
            .Select(e => e.ValueFrom?.SecretKeyRef)
            .OfType<V1SecretKeySelector>()
            .ToList();

        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Equal(secret.Metadata.Name, r.Name));
        Assert.Equal([], references.Select(r => r.Key).Where(key => !secret.StringData.ContainsKey(key)));
        Assert.All(secret.StringData.Where(kv => kv.Key.StartsWith("postgres", StringComparison.Ordinal)), kv => Assert.Contains("REPLACE-ME", kv.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryImage_IsPinned()
    {
        var images = Manifests.Objects.OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers)
            .Concat(Manifests.Objects.OfType<V1StatefulSet>().SelectMany(s => s.Spec.Template.Spec.Containers))
            .Select(c => Manifests.EffectiveImage(c.Image))
            .ToList();

        Assert.Equal(4, images.Count);
        Assert.Equal([], images.Where(image => !PinnedImage().IsMatch(image)));
        Assert.DoesNotMatch(PinnedImage(), "redis:latest");
        Assert.DoesNotMatch(PinnedImage(), "postgres:17");
    }

    [Fact]
    public void Ingress_KeepsABrowserOnOneWebReplica_ForSignalR()
    {
        var ingress = Manifests.Single<V1Ingress>("web");
        var backend = ingress.Spec.Rules.Single().Http.Paths.Single().Backend.Service;

        Assert.Equal("cookie", ingress.Metadata.Annotations["nginx.ingress.kubernetes.io/affinity"]);
        Assert.Equal("persistent", ingress.Metadata.Annotations["nginx.ingress.kubernetes.io/affinity-mode"]);
        Assert.Equal("web", backend.Name);
        Assert.Contains(Manifests.Single<V1Service>("web").Spec.Ports, port => port.Name == backend.Port.Name);
    }

    [Fact]
    public void Stores_AreStatefulSetsWithVolumes()
    {
        foreach (var name in new[] { "postgres", "redis" })
        {
            var store = Manifests.Single<V1StatefulSet>(name);

            Assert.Equal(name, store.Spec.ServiceName);
            Assert.Equal("data", store.Spec.VolumeClaimTemplates.Single().Metadata.Name);
            Assert.NotNull(Manifests.Single<V1Service>(name));
        }
    }

    [Fact]
    public void Namespace_IsTheKustomizationsNamespace()
    {
        Assert.Equal("hallmonitor", Manifests.Kustomization.Namespace);
        Assert.Equal("hallmonitor", Manifests.Objects.OfType<V1Namespace>().Single().Metadata.Name);
    }

    /// <summary>A tag naming an exact release (PostgreSQL's are two-part) with an optional variant and digest.</summary>
    [GeneratedRegex(@"^[^\s:@]+:[0-9]+\.[0-9]+(\.[0-9]+)?(-[a-z0-9.]+)?(@sha256:[0-9a-f]{64})?$")]
    private static partial Regex PinnedImage();
}
