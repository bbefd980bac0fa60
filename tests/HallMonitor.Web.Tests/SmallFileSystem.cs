using System.Diagnostics;

namespace HallMonitor.Web.Tests;

/// <summary>
/// A small file system mounted on a temporary folder for one test: a tmpfs that can be filled up, or an ext4 image
/// on a loop device that can be made to fail into read-only. Needs root (CI runs as root); a mount that fails
/// fails the test, it is never skipped.
/// </summary>
public sealed class SmallFileSystem : IDisposable
{
    private readonly string? _image;

    private SmallFileSystem(string path, string? image = null)
    {
        Path = path;
        _image = image;
    }

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

    /// <summary>An ext4 image of <paramref name="megabytes"/> on a loop device, mounted with <c>errors=remount-ro</c>.</summary>
    public static SmallFileSystem MountExt4(int megabytes)
    {
        var path = Directory.CreateTempSubdirectory("hallmonitor-ext4-").FullName;
        var image = path + ".img";
        using (var file = File.Create(image))
        {
            file.SetLength(megabytes * 1024L * 1024L);
        }

        var (code, output) = Run("mkfs.ext4", "-q", image);
        if (code == 0)
        {
            (code, output) = Run("mount", "-o", "loop,errors=remount-ro", image, path);
        }

        if (code != 0)
        {
            File.Delete(image);
            Directory.Delete(path);
            Assert.Fail($"These tests mount an ext4 image on a loop device and need root (CI runs as root): {output}");
        }

        return new SmallFileSystem(path, image);
    }

    /// <summary>
    /// Makes ext4 report an error, as after a failing disk: with <c>errors=remount-ro</c> the kernel turns the file
    /// system read-only under the open files (a plain <c>mount -o remount,ro</c> is refused while a file is open for
    /// writing), and it stays so until unmounted.
    /// </summary>
    public void FailToReadOnly()
    {
        var (code, output) = Run("findmnt", "--noheadings", "--output", "SOURCE", Path);
        Assert.True(code == 0, $"findmnt: {output}");
        var device = System.IO.Path.GetFileName(output);
        File.WriteAllText($"/sys/fs/ext4/{device}/trigger_fs_error", "hallmonitor test");
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
        if (_image is not null)
        {
            File.Delete(_image);
        }
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
