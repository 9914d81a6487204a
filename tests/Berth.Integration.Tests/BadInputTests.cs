using System.Text.Json.Nodes;
using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>
/// Bad bundles and IDs: a non-zero exit, an error on stderr naming the field or path, and nothing left behind.
/// The exit code and leak checks run against any runtime (runc too, validating the harness); the wording of the
/// error is berth-runtime's contract, so those assertions are gated by <c>Requires.BerthRuntime()</c>.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class BadInputTests
{
    [Fact]
    public async Task Malformed_config_json_is_rejected_naming_the_file()
    {
        Requires.Root().Runtime().Busybox();
        await AssertRejectedAsync(
            configure: null,
            afterSave: b => File.WriteAllText(b.ConfigPath, "{ \"ociVersion\": \"1.2.0\", \"process\": "),
            mentions: "config.json");
    }

    [Fact]
    public async Task A_config_without_process_is_rejected_naming_the_field()
    {
        Requires.Root().Runtime().Busybox();
        await AssertRejectedAsync(b => b.Config.AsObject().Remove("process"), mentions: "process");
    }

    [Fact]
    public async Task A_missing_rootfs_is_rejected_naming_the_path()
    {
        Requires.Root().Runtime().Busybox();
        await AssertRejectedAsync(
            configure: null,
            afterSave: b => Directory.Delete(b.RootfsPath, recursive: true),
            mentions: "rootfs");
    }

    [Fact]
    public async Task An_unknown_namespace_type_is_rejected_naming_it()
    {
        Requires.Root().Runtime().Busybox();
        await AssertRejectedAsync(b => b.WithNamespace("bogusns"), mentions: "bogusns");
    }

    [Fact]
    public async Task A_mount_destination_escaping_the_rootfs_through_a_symlink_touches_nothing_outside()
    {
        Requires.Root().Runtime().Busybox();
        string outside = Directory.CreateTempSubdirectory("berth-outside-").FullName;
        try
        {
            using var bundle = BusyboxBundle.Create();
            File.CreateSymbolicLink(Path.Combine(bundle.RootfsPath, "evil"), outside);
            bundle.WithMount("/evil/x", "tmpfs", "tmpfs", "size=1m").WithArgs("true");
            using RuntimeRunner runner = RuntimeRunner.UnderTest();
            var leaks = LeakCheck.Start(runner);

            ProcessResult result = await runner.RunAsync(bundle, "escape");
            await runner.DeleteAsync("escape", force: true);
            runner.Forget("escape");

            Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
            Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(outside, StringComparison.Ordinal));
            leaks.AssertNoLeaks();

            // Both runtimes resolve the symlink as the container would see it, inside the rootfs: the mount
            // point is created in the container's own tree and the host path is never touched (checked above).
            Assert.True(result.ExitCode == 0, $"expected the mount to be confined to the rootfs: {result}");
            Assert.True(Directory.Exists(bundle.RootfsPath + outside + "/x"), "mount point not created inside the rootfs");
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("../escaped")]
    [InlineData("x/../../escaped")]
    public async Task An_id_with_a_slash_or_dot_dot_is_rejected(string id)
    {
        Requires.Root().Runtime().Busybox();
        using var bundle = BusyboxBundle.Create();
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);
        string parent = Path.GetDirectoryName(runner.Root)!;
        string[] parentBefore = [.. Directory.EnumerateFileSystemEntries(parent)];

        ProcessResult result = await runner.CreateAsync(bundle, id);
        runner.Forget(id);

        Assert.True(result.ExitCode != 0, $"ID {id} was accepted: {result}");
        // Nothing was created beside the root either (the runner's own log and .out/.err files aside).
        string[] created = [.. Directory.EnumerateFileSystemEntries(parent).Except(parentBefore)
            .Where(e => e != runner.LogPath && !e.EndsWith(".out", StringComparison.Ordinal) && !e.EndsWith(".err", StringComparison.Ordinal))];
        Assert.True(created.Length == 0, $"created beside the root: {string.Join(", ", created)}");
        Assert.False(Directory.Exists(Path.Combine(parent, "escaped")));
        leaks.AssertNoLeaks();

        Requires.BerthRuntime();
        Assert.Contains(id, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_already_in_use_is_rejected_and_the_first_container_is_untouched()
    {
        Requires.Root().Runtime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithArgs("sleep", "100");
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);

        (await runner.CreateAsync(bundle, "dup")).EnsureSuccess();
        ContainerState first = await runner.StateAsync("dup");
        ProcessResult second = await runner.ExecAsync(["create", "--bundle", bundle.Path, "dup"]);

        Assert.True(second.ExitCode != 0, $"a second container took the ID: {second}");
        ContainerState still = await runner.StateAsync("dup");
        Assert.Equal(("created", first.Pid), (still.Status, still.Pid));
        (await runner.DeleteAsync("dup", force: true)).EnsureSuccess();
        leaks.AssertNoLeaks();

        Requires.BerthRuntime();
        Assert.Contains("dup", second.Stderr, StringComparison.Ordinal);
    }

    private static Task AssertRejectedAsync(Action<BusyboxBundle>? configure, string mentions, Action<BusyboxBundle>? afterSave = null) =>
        Rejections.AssertRejectedAsync(configure, mentions, afterSave);
}
