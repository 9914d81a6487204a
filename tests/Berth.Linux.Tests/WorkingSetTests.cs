namespace Berth.Linux.Tests;

/// <summary>Dropping clean file pages against the real kernel: the process shrinks and keeps running.</summary>
public sealed class WorkingSetTests
{
    [Fact]
    public void Releases_resident_file_pages_and_the_process_keeps_working()
    {
        long before = StatusKib("RssFile");

        long released = WorkingSet.ReleaseCleanFileMappings();
        long after = StatusKib("RssFile");

        // This process has run code from its binaries and libraries, so some clean file pages were resident; those
        // come back on demand, which running more code (and reading the status again) just did.
        Assert.True(released > 0, $"released {released} KiB");
        Assert.True(after < before, $"RssFile {before} KiB before, {after} KiB after");
        Assert.Equal("4,950", Enumerable.Range(1, 99).Sum().ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Writable_and_anonymous_memory_is_left_alone()
    {
        byte[] data = new byte[1 << 20];
        Array.Fill(data, (byte)7);
        string path = Path.Combine(Path.GetTempPath(), $"berth-workingset-{Guid.NewGuid():N}");
        File.WriteAllText(path, "kept");
        try
        {
            _ = WorkingSet.ReleaseCleanFileMappings();

            Assert.All(data, b => Assert.Equal(7, b));
            Assert.Equal("kept", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static long StatusKib(string key) =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
