using System.Buffers.Binary;
using System.Text;
using Berth.Cli.Tests.Client;

namespace Berth.Cli.Tests.Commands;

/// <summary>Whole commands against a fake daemon: messages and exit codes as docker 28 prints them.</summary>
public sealed class CliBehaviourTests
{
    [Theory]
    [InlineData("run --bogus x", 125, "unknown flag: --bogus\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'berth run --help' for more information\n")]
    [InlineData("ps -z", 125, "unknown shorthand flag: 'z' in -z\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n")]
    [InlineData("stop", 1, "berth: 'berth stop' requires at least 1 argument\n\nUsage:  berth stop [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'berth stop --help' for more information\n")]
    [InlineData("container stop", 1, "berth: 'berth container stop' requires at least 1 argument\n\nUsage:  berth container stop [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'berth container stop --help' for more information\n")]
    [InlineData("-H unix:///nonexistent/x.sock ps -z", 125, "unknown shorthand flag: 'z' in -z\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n")]
    [InlineData("image ls -z", 125, "unknown shorthand flag: 'z' in -z\n\nUsage:  berth image ls [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'berth image ls --help' for more information\n")]
    [InlineData("version --format {{.Foo", 64, "template parsing error: template: version:1: unclosed action\n")]
    [InlineData("run --rm --restart always busybox", 125, "berth: conflicting options: cannot specify both --restart and --rm\n\nRun 'berth run --help' for more information\n")]
    public async Task Usage_errors_read_like_docker(string commandLine, int status, string stderr)
    {
        using var cli = new CliHarness();
        Assert.Equal(status, await cli.RunAsync(null, commandLine.Split(' ')));
        Assert.Equal(stderr, cli.Stderr);
    }

    [Theory]
    [InlineData("run --help", "--detach")]
    [InlineData("ps -h", "--filter")]
    [InlineData("-H unix:///nonexistent/x.sock stop --help", "--time")]
    public async Task Help_for_a_top_level_verb_lists_its_options(string commandLine, string option)
    {
        using var cli = new CliHarness();
        Assert.Equal(0, await cli.RunAsync(null, commandLine.Split(' ')));
        Assert.Contains(option, cli.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run -d busybox", false)]
    [InlineData("-H unix:///x.sock ps -a", false)]
    [InlineData("run --help", true)]
    [InlineData("run busybox ls -h", true)]
    [InlineData("container ls", true)]
    [InlineData("--version", true)]
    [InlineData("", true)]
    public void Only_a_line_that_may_print_help_gets_the_full_root(string commandLine, bool full)
    {
        using var context = new CliContext(TextWriter.Null, TextWriter.Null, _ => throw new InvalidOperationException("no client here"));
        string[] args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(full, Berth.Cli.Commands.CommandTree.Build(context, args) is System.CommandLine.RootCommand);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("container --help")]
    public async Task Help_lists_the_management_groups_and_their_verbs(string commandLine)
    {
        using var cli = new CliHarness();
        Assert.Equal(0, await cli.RunAsync(null, commandLine.Split(' ')));
        Assert.Contains(commandLine == "--help" ? "Manage containers" : "inspect", cli.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_flag_before_the_command_picks_the_daemon()
    {
        using var cli = new CliHarness();
        Assert.Equal(1, await cli.RunAsync("/unused", "-H", "unix:///nonexistent/other.sock", "ps"));
        Assert.Equal("Cannot connect to the Berth daemon at unix:///nonexistent/other.sock. Is the berth daemon running?\n", cli.Stderr);
    }

    [Fact]
    public async Task Run_pulls_a_missing_image_then_attaches_starts_and_exits_with_the_container_status()
    {
        int creates = 0;
        await using var daemon = new FakeDaemon(async (request, stream) =>
        {
            string path = request.Target.Split('?')[0];
            switch (path)
            {
                case "/_ping":
                    await FakeDaemon.RespondAsync(stream, 200, "OK", "text/plain", "Api-Version: 1.50");
                    break;
                case "/v1.50/containers/create":
                    await (Interlocked.Increment(ref creates) == 1
                        ? FakeDaemon.RespondAsync(stream, 404, """{"message":"No such image: busybox:latest"}""")
                        : FakeDaemon.RespondAsync(stream, 201, """{"Id":"c0ffee","Warnings":[]}"""));
                    break;
                case "/v1.50/images/create":
                    await FakeDaemon.RespondAsync(stream, 200,
                        "{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}\n{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"aaa\"}\n{\"status\":\"Status: Downloaded newer image for busybox:latest\"}\n");
                    break;
                case "/v1.50/containers/c0ffee/wait":
                    await FakeDaemon.RespondAsync(stream, 200, """{"StatusCode":3}""");
                    break;
                case "/v1.50/containers/c0ffee/attach":
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
                    await stream.WriteAsync(Frame(1, "hi\n"));
                    await stream.WriteAsync(Frame(2, "oops\n"));
                    stream.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                    break;
                default:
                    await FakeDaemon.RespondAsync(stream, 204, "");
                    break;
            }
        });

        using var cli = new CliHarness();
        int status = await cli.RunAsync(daemon.SocketPath, "run", "busybox", "sh", "-c", "echo hi; exit 3");
        Assert.Equal(3, status);
        Assert.Equal("hi\n", cli.Stdout);
        Assert.Equal(
            "Unable to find image 'busybox:latest' locally\n" +
            "latest: Pulling from library/busybox\n" +
            "aaa: Pull complete\n" +
            "Status: Downloaded newer image for busybox:latest\n" +
            "oops\n",
            cli.Stderr);
        Assert.Contains(daemon.Requests, r => r.Target.StartsWith("/v1.50/containers/c0ffee/start", StringComparison.Ordinal));
        Assert.Contains("\"Cmd\":[\"sh\",\"-c\",\"echo hi; exit 3\"]", daemon.Requests.First(r => r.Target.StartsWith("/v1.50/containers/create", StringComparison.Ordinal)).Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exec: \"nope\": executable file not found in $PATH", 127)]
    [InlineData("exec: \"/etc\": permission denied", 126)]
    [InlineData("cgroup: no space left", 125)]
    public async Task Run_maps_start_failures_to_docker_exit_codes(string message, int expected)
    {
        await using var daemon = new FakeDaemon((request, stream) => request.Target.Split('?')[0] switch
        {
            "/_ping" => FakeDaemon.RespondAsync(stream, 200, "OK", "text/plain", "Api-Version: 1.50"),
            "/v1.50/containers/create" => FakeDaemon.RespondAsync(stream, 201, """{"Id":"c1","Warnings":[]}"""),
            "/v1.50/containers/c1/start" => FakeDaemon.RespondAsync(stream, 400, $$"""{"message":{{System.Text.Json.JsonSerializer.Serialize(message)}}}"""),
            _ => FakeDaemon.RespondAsync(stream, 204, ""),
        });
        using var cli = new CliHarness();
        Assert.Equal(expected, await cli.RunAsync(daemon.SocketPath, "run", "-d", "busybox", "nope"));
        Assert.StartsWith($"berth: Error response from daemon: {message}\n", cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_format_with_a_missing_key_fails_like_docker()
    {
        await using var daemon = new FakeDaemon((request, stream) => request.Target.Split('?')[0] switch
        {
            "/_ping" => FakeDaemon.RespondAsync(stream, 200, "OK", "text/plain", "Api-Version: 1.50"),
            "/v1.50/containers/web/json" => FakeDaemon.RespondAsync(stream, 200, """{"Id":"abc","State":{"Status":"exited","ExitCode":137,"OOMKilled":true}}"""),
            _ => FakeDaemon.RespondAsync(stream, 404, """{"message":"No such container: x"}"""),
        });
        using var cli = new CliHarness();
        Assert.Equal(0, await cli.RunAsync(daemon.SocketPath, "inspect", "-f", "{{.State.ExitCode}} {{.State.Status}} {{.State.OOMKilled}}", "web"));
        Assert.Equal("137 exited true\n", cli.Stdout);

        using var bad = new CliHarness();
        Assert.Equal(1, await bad.RunAsync(daemon.SocketPath, "container", "inspect", "--format", "{{.Nope}}", "web"));
        Assert.Equal("template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"\n", bad.Stderr);

        using var missing = new CliHarness();
        Assert.Equal(1, await missing.RunAsync(daemon.SocketPath, "inspect", "x"));
        Assert.Equal("[]\n", missing.Stdout);
        Assert.Equal("Error: No such object: x\n", missing.Stderr);
    }

    private static byte[] Frame(byte stream, string text)
    {
        byte[] payload = Encoding.UTF8.GetBytes(text);
        byte[] frame = new byte[8 + payload.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }
}
