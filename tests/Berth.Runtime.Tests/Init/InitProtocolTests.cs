using System.Text.Json;
using Berth.Runtime.Init;

namespace Berth.Runtime.Tests.Init;

/// <summary>The runtime writes the init protocol with the serializer and reads it by hand: both must agree.</summary>
public sealed class InitProtocolTests
{
    [Fact]
    public void A_request_reads_back_as_written()
    {
        var request = new InitRequest
        {
            ContainerId = "c1", Pid = 42, Bundle = "/b", Rootfs = "/b/rootfs", SpecJson = "{\"ociVersion\": \"1.2.0\"}",
            Seccomp = new ProcessSetup.SeccompFilter([1, 2, 3, 250], 5),
        };

        InitRequest read = InitRequest.Parse(JsonSerializer.Serialize(request, RuntimeWriteJsonContext.Default.InitRequest));

        Assert.Equal((request.ContainerId, request.Pid, request.Bundle, request.Rootfs, request.SpecJson), (read.ContainerId, read.Pid, read.Bundle, read.Rootfs, read.SpecJson));
        Assert.Equal(request.Seccomp.Program, read.Seccomp!.Program);
        Assert.Equal(request.Seccomp.Flags, read.Seccomp.Flags);
    }

    [Fact]
    public void A_request_without_seccomp_has_none()
    {
        var request = new InitRequest { ContainerId = "c1", Pid = 1, Bundle = "/b", Rootfs = "/r", SpecJson = "{}" };

        Assert.Null(InitRequest.Parse(JsonSerializer.Serialize(request, RuntimeWriteJsonContext.Default.InitRequest)).Seccomp);
    }

    [Theory]
    [InlineData(InitReply.ReadyType, null, 0, null)]
    [InlineData(InitReply.ErrorType, "mounts", 2, "init step \"mounts\" failed: mount /x: No such file or directory")]
    public void A_reply_reads_back_as_written(string type, string? step, int errno, string? message)
    {
        var reply = new InitReply { Type = type, Step = step, Errno = errno, Message = message };

        InitReply read = InitReply.Parse(JsonSerializer.Serialize(reply, RuntimeWriteJsonContext.Default.InitReply));

        Assert.Equal((type, step, errno, message), (read.Type, read.Step, read.Errno, read.Message));
    }
}
