using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Api.Json;
using Berth.Cli.Commands.Container;

namespace Berth.Cli.Tests.Commands;

/// <summary>
/// Flags → ContainerCreate body, compared with what the real docker 28 CLI sent for the same command line (captured
/// by pointing DOCKER_HOST at a fake daemon on a Unix socket; Fixtures/docker-run-*.txt hold request line and body).
/// Values docker sends as zero/empty defaults are dropped on both sides: our Api omits nulls, Go writes every field.
/// </summary>
public sealed class RunRequestTests
{
    public static TheoryData<string, string> Captured() => new()
    {
        { "docker-run-1.txt", "-d -e A=1 --memory 32m --cpus 1.5 -v /a:/b:ro --ulimit nofile=10:20 --cap-add X --security-opt no-new-privileges busybox echo hi" },
        {
            "docker-run-2.txt",
            "-i --name n1 -w /w -u 1000:1000 --entrypoint sh --restart on-failure:3 --init --network none --hostname h -l k=v --pids-limit 10 " +
            "--privileged --read-only --tmpfs /t:size=1m --mount type=bind,src=/x,dst=/y,readonly --cap-drop ALL --memory-swap 64m --cpu-shares 512 " +
            "--platform linux/amd64 --stop-signal SIGINT --stop-timeout 5 busybox -c true"
        },
        { "docker-run-3.txt", "-d --rm -t --pull never busybox" },
    };

    [Theory]
    [MemberData(nameof(Captured))]
    public void Body_matches_what_docker_sends(string fixture, string commandLine)
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture));
        var expected = Normalize(JsonNode.Parse(lines[1])!.AsObject());
        expected.Remove("NetworkingConfig"); // docker fills an EndpointsConfig for "default"; the daemon derives it.

        var (request, name, platform) = Build(commandLine.Split(' '));
        var actual = Normalize(JsonNode.Parse(JsonSerializer.Serialize(request, ApiJsonContext.Default.ContainerCreateRequest))!.AsObject());

        Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
        Assert.Contains($"name={name}", lines[0] + (name is null ? "name=" : ""), StringComparison.Ordinal);
        if (platform is not null)
        {
            Assert.Contains("platform=" + Uri.EscapeDataString(platform), lines[0], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--rm --restart always busybox", "conflicting options: cannot specify both --restart and --rm")]
    [InlineData("--pull sometimes busybox", "invalid pull option: 'sometimes': must be one of \"always\", \"missing\" or \"never\"")]
    [InlineData("--memory 12x busybox", "invalid argument \"12x\" for \"--memory\" flag: invalid suffix: 'x'")]
    [InlineData("--ulimit nofile=20:10 busybox", "invalid argument \"nofile=20:10\" for \"--ulimit\" flag: ulimit soft limit must be less than or equal to hard limit: 20 > 10")]
    [InlineData("--restart sometimes busybox", "invalid argument \"sometimes\" for \"--restart\" flag: invalid restart policy 'sometimes'")]
    public void Bad_values_are_usage_errors(string commandLine, string message)
    {
        var ex = Assert.Throws<UsageException>(() => Build(commandLine.Split(' ')));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Arguments_after_the_image_belong_to_the_command()
    {
        var (request, _, _) = Build(["-e", "X=1", "busybox", "ls", "-l", "--name", "-e"]);
        Assert.Equal(["ls", "-l", "--name", "-e"], request.Cmd);
        Assert.Equal(["X=1"], request.Env);
    }

    [Fact]
    public void Bundled_short_flags_and_attached_values_parse_like_pflag()
    {
        var (request, _, _) = Build(["-it", "-eA=1", "-w/w", "busybox"]);
        Assert.True(request.Tty);
        Assert.True(request.OpenStdin);
        Assert.Equal(["A=1"], request.Env);
        Assert.Equal("/w", request.WorkingDir);
    }

    [Fact]
    public void Env_without_value_takes_ours_when_set()
    {
        var options = new ContainerOptions();
        var root = Root(options, out var detach);
        ParseResult parse = root.Parse(ArgumentSplitter.Split(root, ["run", "-e", "HOME", "-e", "NOPE_X", "busybox"]));
        var request = options.Build(parse, false, name => name == "HOME" ? "/root" : null);
        Assert.Equal(["HOME=/root", "NOPE_X"], request.Env);
    }

    private static (Api.Containers.ContainerCreateRequest Request, string? Name, string? Platform) Build(string[] args)
    {
        var options = new ContainerOptions();
        RootCommand root = Root(options, out Option<bool> detach);
        ParseResult parse = root.Parse(ArgumentSplitter.Split(root, ["run", .. args]));
        Assert.Empty(parse.Errors);
        var request = options.Build(parse, parse.GetValue(detach), _ => null);
        return (request, parse.GetValue(options.Name), parse.GetValue(options.Platform));
    }

    private static RootCommand Root(ContainerOptions options, out Option<bool> detach)
    {
        detach = new Option<bool>("--detach", "-d");
        var run = new Command("run") { detach }.StopOptionsAfter(1);
        options.AddTo(run);
        return new RootCommand { run };
    }

    /// <summary>Drops Go's zero values ("", false, 0, null, [], {}, [0,0]) recursively and sorts keys.</summary>
    private static JsonObject Normalize(JsonObject o)
    {
        var result = new JsonObject();
        foreach (var (key, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            JsonNode? v = value switch
            {
                JsonObject child => Normalize(child) is { Count: > 0 } n ? n : null,
                JsonArray a when a.Count == 0 || a.ToJsonString() == "[0,0]" => null,
                JsonArray a => new JsonArray([.. a.Select(x => x is JsonObject item ? Normalize(item) : JsonNode.Parse(x!.ToJsonString()))]),
                JsonValue j when j.ToJsonString() is "\"\"" or "false" or "0" or "null" => null,
                JsonValue j => JsonNode.Parse(j.ToJsonString()),
                _ => null,
            };
            if (v is not null)
            {
                result[key] = v;
            }
        }

        return result;
    }
}
