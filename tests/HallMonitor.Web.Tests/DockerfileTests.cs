using System.Text.RegularExpressions;

namespace HallMonitor.Web.Tests;

/// <summary>
/// The two images, checked without a Docker engine: every COPY source is in the build context (the repository
/// root, less .dockerignore), every base image is pinned, and the final stage runs as the .NET images' non-root user.
/// </summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string> Images => new() { "silo/Dockerfile", "web/Dockerfile" };

    [Theory]
    [MemberData(nameof(Images))]
    public void CopySources_AreInTheBuildContext(string dockerfile)
    {
        var sources = Dockerfile.CopySources(File.ReadAllText(RepositoryFiles.PathOf(dockerfile)));

        Assert.NotEmpty(sources);
        Assert.Equal([], Dockerfile.MissingFromContext(sources, RepositoryFiles.Root, DockerIgnore()));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void BaseImages_ArePinned(string dockerfile)
    {
        var images = Dockerfile.BaseImages(File.ReadAllText(RepositoryFiles.PathOf(dockerfile)));

        Assert.Contains(images, image => image.StartsWith("mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal));
        Assert.Equal([], images.Where(image => !Dockerfile.IsPinned(image)));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void FinalStage_RunsAsTheNonRootUser_AndRestoresOnlyItsProject(string dockerfile)
    {
        var text = File.ReadAllText(RepositoryFiles.PathOf(dockerfile));
        var project = Path.GetDirectoryName(dockerfile)!;
        var finalStage = text[text.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];

        Assert.Matches(@"(?m)^USER \$APP_UID$", finalStage);
        Assert.DoesNotMatch(@"(?m)^USER (root|0)\b", text);
        var restores = RestoreLine().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([$"{project}/HallMonitor.{char.ToUpperInvariant(project[0])}{project[1..]}.csproj"], restores);
    }

    [Fact]
    public void Checks_RejectAnUnpinnedImageAndAMissingSource()
    {
        const string broken = """
            FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
            COPY web/no-such-file.json \
                 silo/HallMonitor.Silo.csproj silo/
            COPY tests/ tests/
            COPY --from=build /app .
            FROM node:latest
            FROM redis
            FROM build AS publish
            """;

        var missing = Dockerfile.MissingFromContext(Dockerfile.CopySources(broken), RepositoryFiles.Root, DockerIgnore());
        var unpinned = Dockerfile.BaseImages(broken).Where(image => !Dockerfile.IsPinned(image));

        Assert.Equal(["tests/", "web/no-such-file.json"], missing.Order(StringComparer.Ordinal));
        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0", "node:latest", "redis"], unpinned);
        Assert.True(Dockerfile.IsPinned("redis:7.4.5-alpine@sha256:" + new string('a', 64)));
    }

    private static string[] DockerIgnore() => File.ReadAllLines(RepositoryFiles.PathOf(".dockerignore"));

    [GeneratedRegex(@"(?m)^RUN dotnet restore (\S+)")]
    private static partial Regex RestoreLine();
}

/// <summary>Just enough of a Dockerfile reader for the checks above.</summary>
internal static partial class Dockerfile
{
    /// <summary>Instructions with their continuation lines joined, comments dropped.</summary>
    public static IEnumerable<string> Instructions(string text) =>
        text.Replace("\\\r\n", " ", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal)
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && line[0] != '#');

    /// <summary>The sources of every COPY from the build context (not <c>--from</c> another stage or image).</summary>
    public static IReadOnlyList<string> CopySources(string text) =>
        [.. Instructions(text)
            .Where(line => line.StartsWith("COPY ", StringComparison.Ordinal) && !line.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(line =>
            {
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToArray();
                return words[..^1];
            })];

    /// <summary>Images named by FROM, less references to earlier stages.</summary>
    public static IReadOnlyList<string> BaseImages(string text)
    {
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var images = new List<string>();
        foreach (var line in Instructions(text).Where(line => line.StartsWith("FROM ", StringComparison.Ordinal)))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToArray();
            if (!stages.Contains(words[1]))
            {
                images.Add(words[1]);
            }

            if (words.Length == 4 && words[2].Equals("AS", StringComparison.OrdinalIgnoreCase))
            {
                stages.Add(words[3]);
            }
        }

        return images;
    }

    /// <summary>Pinned: a digest, or a tag naming an exact version (major.minor.patch), never <c>latest</c>.</summary>
    public static bool IsPinned(string image) => PinnedImage().IsMatch(image);

    /// <summary>Sources that are not in the repository, or that .dockerignore leaves out of the context.</summary>
    public static IReadOnlyList<string> MissingFromContext(IEnumerable<string> sources, string root, IEnumerable<string> dockerIgnore)
    {
        var ignored = dockerIgnore
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(IgnorePattern)
            .ToList();
        return [.. sources.Where(source =>
            !Path.Exists(Path.Combine(root, source)) || ignored.Any(pattern => pattern.IsMatch(source.TrimEnd('/'))))];
    }

    /// <summary>A .dockerignore line as a regex over context paths; a folder's pattern also covers what is under it.</summary>
    private static Regex IgnorePattern(string line)
    {
        var pattern = Regex.Escape(line.TrimEnd('/'))
            .Replace(@"\*\*/", "(?:.*/)?", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal);
        return new Regex($"^{pattern}(?:/.*)?$", RegexOptions.CultureInvariant);
    }

    [GeneratedRegex(@"^[^\s:@]+(?::[0-9]+\.[0-9]+\.[0-9]+[-a-z0-9.]*(?:@sha256:[0-9a-f]{64})?|(?::[^\s@]+)?@sha256:[0-9a-f]{64})$")]
    private static partial Regex PinnedImage();
}
