using Berth.Api;
using Berth.Api.Containers;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Daemon.Containers;
using Berth.Runtime.Containers;

namespace Berth.Daemon.Tests.Containers;

public sealed class ContainerPiecesTests
{
    [Fact]
    public void New_ids_are_64_hex_digits_and_names_are_generated_free()
    {
        string id = ContainerNames.NewId();
        Assert.Matches("^[0-9a-f]{64}$", id);
        string name = ContainerNames.Generate(n => false);
        Assert.Matches("^[a-z]+_[a-z]+$", name);
    }

    [Theory]
    [InlineData("/web", "web")]
    [InlineData("a.b_c-1", "a.b_c-1")]
    public void Valid_names_lose_the_leading_slash(string name, string expected) => Assert.Equal(expected, ContainerNames.Validate(name));

    [Theory]
    [InlineData("-x")]
    [InlineData("a")]
    [InlineData("bad name")]
    [InlineData("x/y")]
    public void Invalid_names_are_refused_with_dockers_message(string name)
    {
        var e = Assert.Throws<BerthException>(() => ContainerNames.Validate(name));
        Assert.Equal($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", e.Message);
    }

    [Fact]
    public void Binds_parse_modes_and_propagation()
    {
        ContainerMountOption bind = BindParser.Parse("/src:/dst:ro,rslave");
        Assert.Equal(("bind", "/src", "/dst", true), (bind.Type, bind.Source, bind.Destination, bind.ReadOnly));
        Assert.Equal(["rslave"], bind.Options);
        Assert.False(BindParser.Parse("/a:/b").ReadOnly);
    }

    [Theory]
    [InlineData("/a", ErrorKind.InvalidArgument)]
    [InlineData("/a:b", ErrorKind.InvalidArgument)]
    [InlineData("/a:/", ErrorKind.InvalidArgument)]
    [InlineData("/a:/b:xx", ErrorKind.InvalidArgument)]
    [InlineData("vol:/b", ErrorKind.NotImplemented)]
    public void Bad_binds_are_refused(string bind, ErrorKind kind) => Assert.Equal(kind, Assert.Throws<BerthException>(() => BindParser.Parse(bind)).Kind);

    [Fact]
    public void Resolv_conf_drops_loopback_nameservers_and_falls_back_to_dockers_defaults()
    {
        Assert.Equal("nameserver 8.8.8.8\nnameserver 8.8.4.4\nsearch lan\n", ContainerFiles.ResolvConf("nameserver 127.0.0.53\nsearch lan\n", hostNetwork: false));
        Assert.Equal("nameserver 10.0.0.2\n", ContainerFiles.ResolvConf("nameserver 10.0.0.2\n", hostNetwork: false));
        Assert.Equal("nameserver 127.0.0.53\n", ContainerFiles.ResolvConf("nameserver 127.0.0.53\n", hostNetwork: true));
    }

    [Fact]
    public void Hosts_has_localhost_extra_hosts_and_own_address()
    {
        string hosts = ContainerFiles.Hosts("abc", "10.1.0.2", ["db:10.1.0.3"]);
        Assert.StartsWith("127.0.0.1\tlocalhost\n", hosts, StringComparison.Ordinal);
        Assert.Contains("10.1.0.3\tdb\n", hosts, StringComparison.Ordinal);
        Assert.EndsWith("10.1.0.2\tabc\n", hosts, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_takes_the_request_over_the_image_and_an_entrypoint_drops_the_image_cmd()
    {
        var image = new ImageConfig { Cmd = ["sh"], Entrypoint = ["/init"], Env = ["PATH=/bin", "A=1"], WorkingDir = "/app", User = "app", Labels = new Dictionary<string, string> { ["x"] = "1" } };
        ContainerConfig merged = ContainerConfigMerger.Merge(new ContainerConfig { Env = ["A=2", "B=3"], Labels = new Dictionary<string, string> { ["y"] = "2" } }, image);
        Assert.Equal(["/init", "sh"], ContainerConfigMerger.CommandLine(merged));
        Assert.Equal(["PATH=/bin", "A=2", "B=3"], merged.Env!);
        Assert.Equal(("/app", "app"), (merged.WorkingDir, merged.User));
        Assert.Equal(2, merged.Labels!.Count);

        ContainerConfig entrypoint = ContainerConfigMerger.Merge(new ContainerConfig { Entrypoint = ["echo"] }, image);
        Assert.Equal(["echo"], ContainerConfigMerger.CommandLine(entrypoint));
        ContainerConfig cleared = ContainerConfigMerger.Merge(new ContainerConfig { Entrypoint = [""], Cmd = ["true"] }, image);
        Assert.Equal(["true"], ContainerConfigMerger.CommandLine(cleared));
    }

    [Fact]
    public void No_command_is_dockers_error()
    {
        ContainerConfig merged = ContainerConfigMerger.Merge(new ContainerConfig(), new ImageConfig());
        Assert.Equal("no command specified", Assert.Throws<BerthException>(() => ContainerConfigMerger.CommandLine(merged)).Message);
    }

    [Theory]
    [InlineData(null, new byte[] { 16, 17 })]
    [InlineData("ctrl-a,x", new byte[] { 1, (byte)'x' })]
    [InlineData("ctrl-@,ctrl-_", new byte[] { 0, 31 })]
    public void Detach_keys_parse_like_docker(string? spec, byte[] expected) => Assert.Equal(expected, DetachKeys.Parse(spec));

    [Theory]
    [InlineData("ctrl-1")]
    [InlineData("abc")]
    public void Bad_detach_keys_are_refused(string spec) =>
        Assert.Equal($"Invalid detach keys ({spec}) provided", Assert.Throws<BerthException>(() => DetachKeys.Parse(spec)).Message);

    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(59, "59 seconds")]
    [InlineData(90, "About a minute")]
    [InlineData(3 * 60, "3 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(5 * 3600, "5 hours")]
    [InlineData(3 * 86400, "3 days")]
    public void Durations_read_like_go_units(double seconds, string expected) => Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Status_text_matches_docker_ps()
    {
        var now = DateTimeOffset.UtcNow;
        var record = new ContainerRecord { State = new ContainerState { Status = "running", Running = true, StartedAt = now.AddMinutes(-3) }, HasBeenStarted = true };
        Assert.Equal("Up 3 minutes", ContainerService.StatusText(record, now));
        record.State = new ContainerState { Status = "exited", ExitCode = 137, FinishedAt = now.AddSeconds(-2), StartedAt = now.AddSeconds(-10) };
        Assert.Equal("Exited (137) 2 seconds ago", ContainerService.StatusText(record, now));
        Assert.Equal("Created", ContainerService.StatusText(new ContainerRecord(), now));
    }

    [Theory]
    [InlineData("SIGTERM", 15)]
    [InlineData("term", 15)]
    [InlineData("KILL", 9)]
    [InlineData("9", 9)]
    public void Signals_parse_by_name_or_number(string signal, int expected) => Assert.Equal(expected, ContainerService.ParseSignal(signal));

    [Fact]
    public void Unknown_signal_is_refused() =>
        Assert.Equal("Invalid signal: SIGFOO", Assert.Throws<BerthException>(() => ContainerService.ParseSignal("SIGFOO")).Message);

    [Fact]
    public void Labels_filter_by_key_and_value()
    {
        var record = new ContainerRecord { Config = new ContainerConfig { Labels = new Dictionary<string, string> { ["a"] = "1" } } };
        Assert.True(ContainerFilters.MatchLabels(record, Http.FilterSet.Parse("{\"label\":[\"a\"]}")));
        Assert.True(ContainerFilters.MatchLabels(record, Http.FilterSet.Parse("{\"label\":[\"a=1\"]}")));
        Assert.False(ContainerFilters.MatchLabels(record, Http.FilterSet.Parse("{\"label\":[\"a=2\"]}")));
        Assert.Throws<BerthException>(() => ContainerFilters.ValidateListFilters(Http.FilterSet.Parse("{\"bogus\":[\"x\"]}")));
    }

    [Fact]
    public void Empty_object_is_used_for_sets() => Assert.NotNull(EmptyObject.Instance);
}
