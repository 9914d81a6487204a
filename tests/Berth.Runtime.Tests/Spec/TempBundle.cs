namespace Berth.Runtime.Tests.Spec;

/// <summary>A throwaway bundle directory with a rootfs/ subdirectory, deleted on dispose.</summary>
internal sealed class TempBundle : IDisposable
{
    public TempBundle()
    {
        Dir = Path.Combine(Path.GetTempPath(), "berth-spec-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Dir, "rootfs"));
    }

    public string Dir { get; }

    public string WriteConfig(string json)
    {
        string path = Path.Combine(Dir, "config.json");
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
