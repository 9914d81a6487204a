using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>The shared shape of a bad-bundle test.</summary>
internal static class Rejections
{
    /// <summary>create must fail; everything is cleaned; berth-runtime's stderr names <paramref name="mentions"/>.</summary>
    public static async Task AssertRejectedAsync(Action<BusyboxBundle>? configure, string mentions, Action<BusyboxBundle>? afterSave = null)
    {
        using var bundle = BusyboxBundle.Create();
        configure?.Invoke(bundle);
        bundle.Save();
        afterSave?.Invoke(bundle);
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);

        // Straight through ExecAsync: CreateAsync would rewrite config.json.
        ProcessResult result = await runner.ExecAsync(["create", "--bundle", bundle.Path, "bad"]);
        bool exists = (await runner.ExecAsync(["state", "bad"])).ExitCode == 0;
        if (exists)
        {
            await runner.DeleteAsync("bad", force: true);
        }

        Assert.True(result.ExitCode != 0, $"the bad bundle was accepted: {result}");
        Assert.False(exists, "a failed create left a container behind");
        Assert.True(result.Stderr.Trim().Length > 0, $"no error on stderr: {result}");
        leaks.AssertNoLeaks();

        Requires.BerthRuntime();
        Assert.True(result.Stderr.Contains(mentions, StringComparison.Ordinal), $"stderr should name \"{mentions}\": {result}");
    }
}
