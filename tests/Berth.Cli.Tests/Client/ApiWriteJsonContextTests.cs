using System.Text;
using System.Text.Json;
using Berth.Api;
using Berth.Api.Containers;
using Berth.Api.Exec;
using Berth.Api.Json;

namespace Berth.Cli.Tests.Client;

/// <summary>The serialization-only context the client writes with must give the bytes the full context gives.</summary>
public sealed class ApiWriteJsonContextTests
{
    [Fact]
    public void Exec_requests_are_written_as_the_full_context_writes_them()
    {
        var create = new ExecCreateRequest { Cmd = ["sh"], Env = ["X=1"], Tty = true, AttachStdin = true, User = "u", WorkingDir = "/" };
        var start = new ExecStartRequest { Detach = true, Tty = true };

        Assert.Equal(
            Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(create, ApiJsonContext.Default.ExecCreateRequest)),
            Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(create, ApiWriteJsonContext.Default.ExecCreateRequest)));
        Assert.Equal(
            JsonSerializer.Serialize(start, ApiJsonContext.Default.ExecStartRequest),
            JsonSerializer.Serialize(start, ApiWriteJsonContext.Default.ExecStartRequest));
    }

    [Fact]
    public void The_create_request_is_written_as_the_full_context_writes_it_and_without_property_metadata()
    {
        var request = new ContainerCreateRequest
        {
            Image = "busybox", Cmd = ["sh", "-c", "echo \"hi\""], Entrypoint = ["/init"], Env = ["A=1"], Tty = true,
            Labels = new Dictionary<string, string> { ["k"] = "v" }, ExposedPorts = new Dictionary<string, EmptyObject> { ["80/tcp"] = EmptyObject.Instance },
            StopTimeout = 3, Healthcheck = new HealthConfig { Test = ["CMD", "true"], Interval = 1_000_000_000 },
            HostConfig = new HostConfig
            {
                AutoRemove = true, Memory = 32 << 20, NanoCpus = 500_000_000, PidsLimit = 10, CapAdd = ["NET_ADMIN"],
                Binds = ["/a:/b:ro"], Mounts = [new MountSpec { Type = "tmpfs", Target = "/t", TmpfsOptions = new TmpfsOptions { SizeBytes = 1024 } }],
                Ulimits = [new Ulimit { Name = "nofile", Soft = 10, Hard = 20 }], RestartPolicy = new RestartPolicy { Name = "on-failure", MaximumRetryCount = 2 },
            },
        };

        Assert.Equal(
            Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(request, ApiJsonContext.Default.ContainerCreateRequest)),
            Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(request, ApiWriteJsonContext.Default.ContainerCreateRequest)));
        // A converter on one of its properties would silently put the reflection-built metadata back on every run.
        Assert.NotNull(ApiWriteJsonContext.Default.ContainerCreateRequest.SerializeHandler);
    }

    [Fact]
    public void Cmd_and_entrypoint_read_a_single_string_as_one_argument_and_are_written_as_arrays()
    {
        ContainerCreateRequest request = JsonSerializer.Deserialize("""{"Cmd":"echo hi","Entrypoint":["/init","-v"]}""", ApiJsonContext.Default.ContainerCreateRequest)!;
        Assert.Equal(["echo hi"], request.Cmd!);
        Assert.Equal(["/init", "-v"], request.Entrypoint!);
        Assert.Contains("\"Cmd\":[\"echo hi\"]", JsonSerializer.Serialize(request, ApiWriteJsonContext.Default.ContainerCreateRequest), StringComparison.Ordinal);
    }
}
