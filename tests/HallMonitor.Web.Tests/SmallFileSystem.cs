using System.Diagnostics;

namespace HallMonitor.Web.Tests;

/// <summary>
/// A small tmpfs mounted on a temporary folder for one test: a data folder that can be filled up. Needs root
/// (CI runs as root); a mount that fails fails the test, it is never skipped.
/// </summary>
public sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string path) => Path = path;

    /// <summary>The mounted folder.</summary>
    public string Path { get; }

    private string Filler => System.IO.Path.Combine(Path, "filler");

    public static SmallFileSystem Mount(int megabytes)
    {
        var path = Directory.CreateTempSubdirectory("hallmonitor-tmpfs-").FullName;
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            Assert.Fail($"These tests mount a {megabytes} MiB tmpfs and need root (CI runs as root): mount exited with {code}: {output}");
        }

        return new SmallFileSystem(path);
    }

    /// <summary>Writes a filler file until the file system has no space left; returns the bytes written.</summary>
    public long Fill()
    {
        var block = new byte[4096];
        long written = 0;
        using var stream = new FileStream(Filler, FileMode.Append, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        try
        {
            while (true)
            {
                stream.Write(block);
                written += block.Length;
            }
        }
        catch (IOException)
        {
            return written;
        }
    }

    /// <summary>Frees the space the filler took.</summary>
    public void Free() => File.Delete(Filler);

    public void Dispose()
    {
        // Lazily: the product's last pooled connections may close a moment after the test.
        Run("umount", "--lazy", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static (int Code, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Trim());
    }
}
