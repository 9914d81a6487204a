using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>Runs one bundle under runc and then under the runtime under test (BERTH_RUNTIME).</summary>
internal static class Differential
{
    public static async Task<(ProcessResult Runc, ProcessResult Berth)> RunBothAsync(Action<BusyboxBundle> configure, string id = "diff")
    {
        using var bundle = BusyboxBundle.Create();
        configure(bundle);
        using var runc = RuntimeRunner.Runc();
        using var berth = RuntimeRunner.UnderTest();
        ProcessResult r = await runc.RunAsync(bundle, id);
        ProcessResult b = await berth.RunAsync(bundle, id);
        return (r, b);
    }

    /// <summary>Same exit code and same (normalized) stdout.</summary>
    public static void AssertSame((ProcessResult Runc, ProcessResult Berth) results, Func<string, string>? normalize = null)
    {
        normalize ??= s => s;
        string message = $"runc: {results.Runc}\n\nberth: {results.Berth}";
        Assert.True(results.Runc.ExitCode == results.Berth.ExitCode, $"exit codes differ\n{message}");
        Assert.True(normalize(results.Runc.Stdout) == normalize(results.Berth.Stdout),
            $"outputs differ\nrunc (normalized):\n{normalize(results.Runc.Stdout)}\nberth (normalized):\n{normalize(results.Berth.Stdout)}\n\n{message}");
    }

    public static string Lines(IEnumerable<string> lines) => string.Join('\n', lines) + "\n";
}
