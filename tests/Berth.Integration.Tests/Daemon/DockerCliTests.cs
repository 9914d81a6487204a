using Berth.Testing.Registry;
using Berth.Testing;
using Berth.Testing.Engines;

[assembly: AssemblyFixture(typeof(Berth.Testing.Registry.LocalRegistryFixture))]

namespace Berth.Integration.Tests.Daemon;

/// <summary>
/// The preinstalled docker CLI 28 against berthd (issue 5's acceptance): every command is asserted against what
/// Docker itself prints and returns.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class DockerCliTests(LocalRegistryFixture registry, BerthdFixture berthd) : IClassFixture<BerthdFixture>
{
    private const string Loop = "while true; do date; sleep 1; done";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Run_rm_echo_prints_hi_and_exits_0()
    {
        (DockerCli docker, BusyboxImage image) = await PrepareAsync();
        ProcessResult run = await docker.RunAsync("run", "--rm", image.Reference, "echo", "hi");
        Assert.True(run.ExitCode == 0 && run.Stdout == "hi\n", docker.Context(run));
    }

    [Fact]
    public async Task Run_of_an_image_not_pulled_pulls_it_first_and_a_second_run_does_not()
    {
        (DockerCli docker, _) = await PrepareAsync();
        (LocalRegistry reg, BusyboxImage image) = await registry.GetAsync();
        // A name this daemon has never seen: copy the image to a new repository in the registry.
        string fresh = $"{reg.Address}/{DockerCli.UniqueName("fresh")}:latest";
        (await ChildProcess.RunAsync(EngineBinaries.Skopeo, ["copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false", $"docker://{image.Reference}", $"docker://{fresh}"], Timeout, cancellationToken: TestContext.Current.CancellationToken)).EnsureSuccess();

        ProcessResult first = await docker.RunAsync("run", "--rm", fresh, "echo", "first");
        string context = docker.Context(first);
        Assert.True(first.ExitCode == 0, context);
        Assert.True(first.Stdout.EndsWith("first\n", StringComparison.Ordinal), context);
        Assert.True(first.Stderr.Contains($"Unable to find image '{fresh}' locally", StringComparison.Ordinal), context);
        Assert.True(first.Stderr.Contains("Pulling from", StringComparison.Ordinal), context);
        Assert.True(first.Stderr.Contains("Digest: sha256:", StringComparison.Ordinal), context);
        Assert.True(first.Stderr.Contains($"Status: Downloaded newer image for {fresh}", StringComparison.Ordinal), context);

        ProcessResult second = await docker.RunAsync("run", "--rm", fresh, "echo", "second");
        context = docker.Context(second);
        Assert.True(second.ExitCode == 0 && second.Stdout == "second\n", context);
        Assert.DoesNotContain("Unable to find image", second.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Pulling from", second.Stderr, StringComparison.Ordinal);
        await docker.RunAsync("rmi", fresh);
    }

    [Fact]
    public async Task Detached_container_is_listed_logged_followed_and_exec_shows_its_hostname()
    {
        (DockerCli docker, BusyboxImage image) = await PrepareAsync();
        string name = DockerCli.UniqueName("loop");
        ProcessResult run = await docker.RunAsync("run", "-d", "--name", name, image.Reference, "sh", "-c", Loop);
        Assert.True(run.ExitCode == 0, docker.Context(run));
        string id = run.Stdout.Trim();
        Assert.True(id.Length == 64, docker.Context(run));
        try
        {
            ProcessResult ps = await docker.RunAsync("ps");
            Assert.True(ps.ExitCode == 0 && ps.Stdout.Contains(name, StringComparison.Ordinal) && ps.Stdout.Contains(id[..12], StringComparison.Ordinal), docker.Context(ps));

            await WaitForLogLinesAsync(docker, name, 2);
            ProcessResult logs = await docker.RunAsync("logs", name);
            Assert.True(logs.ExitCode == 0 && logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 2, docker.Context(logs));

            await AssertLogsFollowStreamsAsync(docker, name);

            ProcessResult hostname = await docker.RunAsync("exec", name, "hostname");
            Assert.True(hostname.ExitCode == 0 && hostname.Stdout == id[..12] + "\n", docker.Context(hostname));

            ProcessResult cat = await docker.RunWithStdinAsync(["exec", "-i", name, "cat"], "line one\nline two\n", Timeout);
            Assert.True(cat.ExitCode == 0 && cat.Stdout == "line one\nline two\n", docker.Context(cat));
        }
        finally
        {
            await docker.RunAsync("rm", "-f", name);
        }
    }

    /// <summary>
    /// sh as PID 1 has no TERM handler, and the kernel does not deliver unhandled signals to a namespace's init: the
    /// stop timeout expires and SIGKILL ends it, 137 — what Docker reports for the same container.
    /// </summary>
    [Fact]
    public async Task Stop_kills_a_shell_ignoring_TERM_after_the_timeout_then_inspect_and_rm()
    {
        (DockerCli docker, BusyboxImage image) = await PrepareAsync();
        string name = DockerCli.UniqueName("stop");
        ProcessResult run = await docker.RunAsync("run", "-d", "--name", name, image.Reference, "sh", "-c", Loop);
        Assert.True(run.ExitCode == 0, docker.Context(run));
        try
        {
            ProcessResult stop = await docker.RunAsync("stop", "-t", "1", name);
            Assert.True(stop.ExitCode == 0 && stop.Stdout.Trim() == name, docker.Context(stop));
            ProcessResult inspect = await docker.RunAsync("inspect", "-f", "{{.State.ExitCode}} {{.State.Status}}", name);
            Assert.True(inspect.ExitCode == 0 && inspect.Stdout.Trim() == "137 exited", docker.Context(inspect));
            ProcessResult rm = await docker.RunAsync("rm", name);
            Assert.True(rm.ExitCode == 0 && rm.Stdout.Trim() == name, docker.Context(rm));
            ProcessResult all = await docker.RunAsync("ps", "-a", "--format", "{{.Names}}");
            Assert.True(all.ExitCode == 0 && !all.Stdout.Contains(name, StringComparison.Ordinal), docker.Context(all));
        }
        finally
        {
            await docker.RunAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Images_tag_rmi_and_pull()
    {
        (DockerCli docker, BusyboxImage image) = await PrepareAsync();
        (await docker.RunAsync("pull", image.Reference)).EnsureSuccess();
        string repository = image.Reference[..image.Reference.LastIndexOf(':')];
        ProcessResult images = await docker.RunAsync("images");
        Assert.True(images.ExitCode == 0 && images.Stdout.StartsWith("REPOSITORY", StringComparison.Ordinal) && images.Stdout.Contains(repository, StringComparison.Ordinal), docker.Context(images));

        string tag = $"{DockerCli.UniqueName("tagged")}:v1";
        ProcessResult tagged = await docker.RunAsync("tag", image.Reference, tag);
        Assert.True(tagged.ExitCode == 0, docker.Context(tagged));
        ProcessResult listed = await docker.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}");
        string[] lines = listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string? original = lines.FirstOrDefault(l => l.StartsWith(image.Reference + " ", StringComparison.Ordinal));
        string? copy = lines.FirstOrDefault(l => l.StartsWith(tag + " ", StringComparison.Ordinal));
        Assert.True(original is not null && copy is not null && original.Split(' ')[1] == copy.Split(' ')[1], docker.Context(listed));

        ProcessResult rmi = await docker.RunAsync("rmi", tag);
        Assert.True(rmi.ExitCode == 0 && rmi.Stdout.Contains($"Untagged: {tag}", StringComparison.Ordinal), docker.Context(rmi));
        ProcessResult after = await docker.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}}");
        Assert.True(after.ExitCode == 0 && !after.Stdout.Contains(tag, StringComparison.Ordinal) && after.Stdout.Contains(image.Reference, StringComparison.Ordinal), docker.Context(after));

        ProcessResult pull = await docker.RunAsync("pull", image.Reference);
        Assert.True(pull.ExitCode == 0 && pull.Stdout.Contains("Digest: sha256:", StringComparison.Ordinal) && pull.Stdout.Contains(image.Reference, StringComparison.Ordinal), docker.Context(pull));
    }

    [Fact]
    public async Task Push_to_the_local_registry_under_another_name_keeps_the_digest()
    {
        (DockerCli docker, BusyboxImage image) = await PrepareAsync();
        (LocalRegistry reg, _) = await registry.GetAsync();
        (await docker.RunAsync("pull", image.Reference)).EnsureSuccess();
        string target = $"{reg.Address}/{DockerCli.UniqueName("pushed")}:latest";
        (await docker.RunAsync("tag", image.Reference, target)).EnsureSuccess();
        ProcessResult push = await docker.RunAsync("push", target);
        string context = docker.Context(push);
        Assert.True(push.ExitCode == 0, context);
        System.Text.RegularExpressions.Match digest = System.Text.RegularExpressions.Regex.Match(push.Stdout, "digest: (sha256:[0-9a-f]{64})");
        Assert.True(digest.Success, context);

        ProcessResult inspect = await ChildProcess.RunAsync(EngineBinaries.Skopeo, ["inspect", "--tls-verify=false", "--format", "{{.Digest}}", $"docker://{target}"], Timeout, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(inspect.ExitCode == 0 && inspect.Stdout.Trim() == digest.Groups[1].Value, $"{inspect}\n{context}");
        await docker.RunAsync("rmi", target);
    }

    [Fact]
    public async Task Cp_copies_a_file_into_the_container_and_back_out()
    {
        (DockerCli docker, BusyboxImage image) = await PrepareAsync();
        string name = DockerCli.UniqueName("cp");
        ProcessResult run = await docker.RunAsync("run", "-d", "--name", name, image.Reference, "sleep", "300");
        Assert.True(run.ExitCode == 0, docker.Context(run));
        string work = Directory.CreateTempSubdirectory("berth-accept-cp-").FullName;
        try
        {
            string content = "copied " + Guid.NewGuid() + "\n";
            string source = Path.Combine(work, "in.txt");
            await File.WriteAllTextAsync(source, content, TestContext.Current.CancellationToken);
            ProcessResult cpIn = await docker.RunAsync("cp", source, $"{name}:/tmp/in.txt");
            Assert.True(cpIn.ExitCode == 0, docker.Context(cpIn));
            ProcessResult cat = await docker.RunAsync("exec", name, "cat", "/tmp/in.txt");
            Assert.True(cat.ExitCode == 0 && cat.Stdout == content, docker.Context(cat));

            string back = Path.Combine(work, "out.txt");
            ProcessResult cpOut = await docker.RunAsync("cp", $"{name}:/tmp/in.txt", back);
            Assert.True(cpOut.ExitCode == 0 && File.Exists(back), docker.Context(cpOut));
            Assert.Equal(content, await File.ReadAllTextAsync(back, TestContext.Current.CancellationToken));
        }
        finally
        {
            await docker.RunAsync("rm", "-f", name);
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>tail keeps the last lines; /dev/zero has no newline, so its one "line" grows until the limit.</summary>
    [Fact]
    public async Task Memory_limit_ooms_a_memory_hog_with_137_and_OOMKilled()
    {
        (DockerCli docker, BusyboxImage image) = await PrepareAsync();
        string name = DockerCli.UniqueName("oom");
        try
        {
            ProcessResult run = await docker.RunAsync("run", "--name", name, "--memory", "32m", image.Reference, "sh", "-c", "tail /dev/zero");
            Assert.True(run.ExitCode == 137, docker.Context(run));
            ProcessResult inspect = await docker.RunAsync("inspect", "-f", "{{.State.ExitCode}} {{.State.OOMKilled}}", name);
            Assert.True(inspect.ExitCode == 0 && inspect.Stdout.Trim() == "137 true", docker.Context(inspect));
        }
        finally
        {
            await docker.RunAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Version_has_a_server_section_with_API_1_50_and_info_answers()
    {
        (DockerCli docker, _) = await PrepareAsync();
        ProcessResult version = await docker.RunAsync("version");
        string context = docker.Context(version);
        Assert.True(version.ExitCode == 0, context);
        Assert.Contains("Server:", version.Stdout, StringComparison.Ordinal);
        ProcessResult api = await docker.RunAsync("version", "-f", "{{.Server.APIVersion}}");
        Assert.True(api.ExitCode == 0 && api.Stdout.Trim() == "1.50", docker.Context(api));

        ProcessResult info = await docker.RunAsync("info");
        Assert.True(info.ExitCode == 0, docker.Context(info));
        Assert.Contains("Server:", info.Stdout, StringComparison.Ordinal);
        Assert.Contains("Containers:", info.Stdout, StringComparison.Ordinal);
        ProcessResult driver = await docker.RunAsync("info", "-f", "{{.Driver}} {{.OSType}}");
        Assert.True(driver.ExitCode == 0 && driver.Stdout.Trim().EndsWith(" linux", StringComparison.Ordinal), docker.Context(driver));
    }

    [Theory]
    [InlineData("exit3", 3)]
    [InlineData("nosuchcmd", 127)]
    [InlineData("badflag", 125)]
    public async Task Run_exit_codes_are_dockers(string scenario, int expected)
    {
        (DockerCli docker, BusyboxImage image) = await PrepareAsync();
        string[] args = scenario switch
        {
            "exit3" => ["run", "--rm", image.Reference, "sh", "-c", "exit 3"],
            "nosuchcmd" => ["run", "--rm", image.Reference, "nosuchcmd"],
            _ => ["run", "--rm", "--no-such-flag", image.Reference, "true"],
        };
        ProcessResult run = await docker.RunAsync(args);
        Assert.True(run.ExitCode == expected, docker.Context(run));
        if (scenario == "nosuchcmd")
        {
            Assert.Contains("executable file not found", run.Stderr, StringComparison.Ordinal);
        }
        else if (scenario == "badflag")
        {
            Assert.Contains("unknown flag: --no-such-flag", run.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Exec_it_gives_a_shell_on_a_pty()
    {
        (DockerCli docker, BusyboxImage image) = await PrepareAsync();
        Requires.Root().Script();
        string name = DockerCli.UniqueName("tty");
        ProcessResult run = await docker.RunAsync("run", "-d", "--name", name, image.Reference, "sleep", "300");
        Assert.True(run.ExitCode == 0, docker.Context(run));
        try
        {
            using PtySession session = PtySession.Start(DockerCli.Program, ["exec", "-it", name, "sh"], docker.Environment);
            await session.WaitForOutputAsync("# ", Timeout);
            await session.TypeAsync("echo $((6*7))\r");
            // The next prompt, not just 42: ash asks the terminal for the cursor position (ESC[6n) before reading
            // each line, and keys typed before that prompt are read as the answer.
            await session.WaitForOutputAsync("42\r\n/ # ", Timeout);
            await session.TypeAsync("exit\r");
            int exit = await session.WaitForExitAsync(Timeout);
            Assert.True(exit == 0, docker.Context(session.Output));
        }
        finally
        {
            await docker.RunAsync("rm", "-f", name);
        }
    }

    private static async Task WaitForLogLinesAsync(DockerCli docker, string name, int count)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            ProcessResult logs = await docker.RunAsync("logs", name);
            if (logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= count)
            {
                return;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Reads two lines from <c>docker logs -f</c> (the tail, then new ones), then kills the CLI.</summary>
    private static async Task AssertLogsFollowStreamsAsync(DockerCli docker, string name)
    {
        using System.Diagnostics.Process follow = docker.Start(["logs", "-f", "--tail", "0", name]);
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string? first = await follow.StandardOutput.ReadLineAsync(cts.Token);
            string? second = await follow.StandardOutput.ReadLineAsync(cts.Token);
            Assert.True(!string.IsNullOrEmpty(first) && !string.IsNullOrEmpty(second) && first != second, docker.Context($"logs -f gave {first} / {second}"));
        }
        catch (OperationCanceledException)
        {
            Assert.Fail(docker.Context("docker logs -f streamed fewer than two lines in 30 s"));
        }
        finally
        {
            follow.Kill();
            await follow.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Containers_with_one_seccomp_profile_share_its_compiled_program_and_are_filtered_by_it()
    {
        (DockerCli docker, BusyboxImage image) = await PrepareAsync();
        (LocalRegistry reg, _) = await registry.GetAsync();
        string cache = Path.Combine((await berthd.GetAsync(reg)).ExecRoot, "seccomp-cache");
        string[] Programs() => Directory.Exists(cache) ? Directory.GetFiles(cache, "*.bpf") : [];

        // CAP_SYS_TIME opens clock_settime & co in Docker's profile: a profile no other test in this class uses.
        string[] before = Programs();
        ProcessResult first = await docker.RunAsync("run", "--rm", "--cap-add", "SYS_TIME", image.Reference, "grep", "Seccomp:", "/proc/self/status");
        string[] added = [.. Programs().Except(before)];
        ProcessResult second = await docker.RunAsync("run", "--rm", "--cap-add", "SYS_TIME", image.Reference, "grep", "Seccomp:", "/proc/self/status");

        Assert.True(first.ExitCode == 0 && first.Stdout == "Seccomp:\t2\n", docker.Context(first));
        Assert.True(second.ExitCode == 0 && second.Stdout == "Seccomp:\t2\n", docker.Context(second));
        Assert.Single(added);
        Assert.Equal(before.Concat(added).Order(StringComparer.Ordinal), Programs().Order(StringComparer.Ordinal));
    }

    private async Task<(DockerCli Docker, BusyboxImage Image)> PrepareAsync()
    {
        Requires.Root().Runtime().LocalRegistry();
        if (!File.Exists(EngineBinaries.PreinstalledDockerClient))
        {
            Assert.Fail($"the docker CLI 28 is missing at {EngineBinaries.PreinstalledDockerClient}");
        }

        (LocalRegistry reg, BusyboxImage image) = await registry.GetAsync();
        BerthDaemonProcess daemon = await berthd.GetAsync(reg);
        return (new DockerCli(daemon), image);
    }
}
