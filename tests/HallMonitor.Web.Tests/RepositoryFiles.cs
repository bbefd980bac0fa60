namespace HallMonitor.Web.Tests;

/// <summary>Files of the repository the tests run from (deployment files, Dockerfiles, manifests).</summary>
internal static class RepositoryFiles
{
    public static readonly string Root = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "HallMonitor.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with HallMonitor.sln) was not found above the test's folder.");
    }
}
