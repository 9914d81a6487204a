using System.Xml.Linq;

namespace Berth.Architecture.Tests;

/// <summary>Pins the dependency edges ARCHITECTURE.md §2 draws: a new edge is a design change, made here on purpose.</summary>
public sealed class ProjectReferenceTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Berth.Core"] = [],
        ["Berth.Api"] = [],
        ["Berth.Linux"] = ["Berth.Core"],
        ["Berth.Storage"] = ["Berth.Core", "Berth.Linux"],
        ["Berth.Registry"] = ["Berth.Core"],
        ["Berth.Images"] = ["Berth.Core", "Berth.Linux", "Berth.Storage", "Berth.Registry"],
        ["Berth.Runtime"] = ["Berth.Core", "Berth.Linux"],
        ["Berth.Network"] = ["Berth.Core", "Berth.Linux"],
        ["Berth.Client"] = ["Berth.Api"],
        // Linux: the CLI's blocking daemon connections are plain system calls (see UnixSocketConnection).
        ["Berth.Cli"] = ["Berth.Client", "Berth.Api", "Berth.Linux"],
        ["Berth.Daemon"] =
        [
            "Berth.Core", "Berth.Linux", "Berth.Storage", "Berth.Registry", "Berth.Images", "Berth.Runtime",
            "Berth.Network", "Berth.Api",
        ],
        ["Berth.RuntimeCli"] = ["Berth.Runtime", "Berth.Core", "Berth.Linux"],
    };

    public static TheoryData<string> SourceProjects() => new(Directory.GetDirectories(Path.Combine(RepoRoot(), "src")).Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Project_references_follow_the_architecture(string project)
    {
        Assert.True(Allowed.TryGetValue(project, out string[]? allowed), $"{project} is not in ARCHITECTURE.md §2; add it there and here");
        string[] actual = References(project);
        Assert.All(actual, r => Assert.Contains(r, allowed));
    }

    [Fact]
    public void Only_the_linux_layer_allows_unsafe_code()
    {
        foreach (string dir in Directory.GetDirectories(Path.Combine(RepoRoot(), "src")))
        {
            string name = Path.GetFileName(dir);
            string text = File.ReadAllText(Path.Combine(dir, name + ".csproj"));
            Assert.Equal(name == "Berth.Linux", text.Contains("<AllowUnsafeBlocks>true</AllowUnsafeBlocks>", StringComparison.Ordinal));
        }
    }

    private static string[] References(string project)
    {
        var xml = XDocument.Load(Path.Combine(RepoRoot(), "src", project, project + ".csproj"));
        return xml.Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value))
            .ToArray();
    }

    private static string RepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Berth.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Berth.slnx not found above " + AppContext.BaseDirectory);
    }
}
