namespace Berth.Testing;

/// <summary>Files of the repository the tests read (sources to re-assemble or compile), found from the test binary.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Berth.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Berth.slnx not found above " + AppContext.BaseDirectory);
    }
}
