using Berth.Testing;
using System.Diagnostics;
using Berth.Linux.Spawn;

namespace Berth.Linux.Tests.Spawn;

/// <summary>The embedded machine code is exactly what the commented assembly source assembles to.</summary>
public sealed class SpawnStubSourceTests
{
    [Fact]
    public void Embedded_bytes_equal_the_assembled_source()
    {
        string source = RepositoryPaths.Combine("src", "Berth.Linux", "Spawn", "spawn-x86_64.S");
        string work = Directory.CreateTempSubdirectory("berth-stub-").FullName;
        try
        {
            Run("as", "--64", "-o", Path.Combine(work, "stub.o"), source);
            Run("objcopy", "-O", "binary", "-j", ".text", Path.Combine(work, "stub.o"), Path.Combine(work, "stub.bin"));
            byte[] assembled = File.ReadAllBytes(Path.Combine(work, "stub.bin"));
            Assert.Equal(assembled, SpawnStubX64.Code.ToArray());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} failed: {error}");
    }
}
