using Berth.Client;

namespace Berth.Cli.Tests.Client;

public sealed class EngineHostTests
{
    [Theory]
    [InlineData(null, null, null, "unix:///run/berth/berth.sock")]
    [InlineData(null, null, "unix:///var/run/docker.sock", "unix:///var/run/docker.sock")]
    [InlineData(null, "unix:///tmp/b.sock", "unix:///var/run/docker.sock", "unix:///tmp/b.sock")]
    [InlineData("tcp://127.0.0.1:2375", "unix:///tmp/b.sock", "unix:///x.sock", "tcp://127.0.0.1:2375")]
    [InlineData("tcp://localhost", null, null, "tcp://localhost:2375")]
    [InlineData("/tmp/plain.sock", null, null, "unix:///tmp/plain.sock")]
    public void Flag_then_berth_host_then_docker_host_then_default(string? flag, string? berthHost, string? dockerHost, string expected)
    {
        var env = new Dictionary<string, string?> { ["BERTH_HOST"] = berthHost, ["DOCKER_HOST"] = dockerHost };
        Assert.Equal(expected, EngineHost.Resolve(flag, name => env.GetValueOrDefault(name)).Uri);
    }

    [Fact]
    public void Unix_and_tcp_parts()
    {
        Assert.Equal("/tmp/x.sock", EngineHost.Parse("unix:///tmp/x.sock").SocketPath);
        var tcp = EngineHost.Parse("tcp://10.0.0.1:1234");
        Assert.Null(tcp.SocketPath);
        Assert.Equal(("10.0.0.1", 1234), (tcp.HostName, tcp.Port));
        Assert.True(EngineHost.Default.IsDefault);
    }

    [Theory]
    [InlineData("ssh://host")]
    [InlineData("tcp://:12")]
    [InlineData("unix://")]
    [InlineData("tcp://host:port")]
    public void Bad_addresses_are_refused(string address) => Assert.Throws<ArgumentException>(() => EngineHost.Parse(address));

    [Theory]
    [InlineData("busybox", "busybox", null)]
    [InlineData("busybox:1.36", "busybox", "1.36")]
    [InlineData("localhost:5000/a/b", "localhost:5000/a/b", null)]
    [InlineData("localhost:5000/a/b:t", "localhost:5000/a/b", "t")]
    [InlineData("busybox@sha256:abc", "busybox", "sha256:abc")]
    public void References_split_like_docker_client(string reference, string name, string? tag) =>
        Assert.Equal((name, tag), BerthClient.SplitReference(reference));
}
