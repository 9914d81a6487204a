using System.Text;
using System.Text.Json;
using Berth.Runtime.Init;

namespace Berth.Runtime.Tests.Init;

/// <summary>The init protocol is JSON written and read by hand on both sides: what one writes, the other reads back.</summary>
public sealed class InitProtocolTests
{
    [Fact]
    public void A_request_reads_back_as_written()
    {
        var request = new InitRequest
        {
            ContainerId = "c1", Pid = 42, Bundle = "/b", Rootfs = "/b/rootfs", Spec = "{\"ociVersion\": \"1.2.0\"}"u8.ToArray(),
            Seccomp = new ProcessSetup.SeccompFilter([1, 2, 3, 250], 5),
        };

        InitRequest read = InitRequest.Parse(request.ToJson());

        Assert.Equal((request.ContainerId, request.Pid, request.Bundle, request.Rootfs), (read.ContainerId, read.Pid, read.Bundle, read.Rootfs));
        Assert.Equal(request.Spec, read.Spec);
        Assert.Equal(request.Seccomp.Program, read.Seccomp!.Program);
        Assert.Equal(request.Seccomp.Flags, read.Seccomp.Flags);
    }

    [Fact]
    public void A_request_without_seccomp_or_cgroup_files_has_none()
    {
        var request = new InitRequest { ContainerId = "c1", Pid = 1, Bundle = "/b", Rootfs = "/r" };

        InitRequest read = InitRequest.Parse(request.ToJson());

        Assert.Null(read.Seccomp);
        Assert.Null(read.CgroupSelfMoveFiles);
    }

    [Theory]
    [InlineData(InitReply.ReadyType, null, 0, null)]
    [InlineData(InitReply.ErrorType, "mounts", 2, "init step \"mounts\" failed: mount /x: No such file or directory")]
    public void A_reply_reads_back_as_written(string type, string? step, int errno, string? message)
    {
        var reply = new InitReply { Type = type, Step = step, Errno = errno, Message = message };

        InitReply read = InitReply.Parse(reply.ToJson());

        Assert.Equal((type, step, errno, message), (read.Type, read.Step, read.Errno, read.Message));
    }

    [Fact]
    public void Strings_that_need_escaping_and_the_cgroup_files_survive_the_trip()
    {
        string spec = "{\"process\": {\"args\": [\"sh\", \"-c\", \"echo \\\"h\u00e9\\\" <&> \\\\ \\t\"]}}";
        var request = new InitRequest { ContainerId = "c\u00fc", Pid = 7, Bundle = "/b \"q\"", Rootfs = "/r\n", Spec = Encoding.UTF8.GetBytes(spec), CgroupSelfMoveFiles = ["/sys/fs/cgroup/pids/a b/tasks", "/sys/fs/cgroup/cpu,cpuacct/a b/tasks"] };

        InitRequest read = InitRequest.Parse(request.ToJson());

        Assert.Equal((request.ContainerId, request.Bundle, request.Rootfs, spec), (read.ContainerId, read.Bundle, read.Rootfs, Encoding.UTF8.GetString(read.Spec)));
        Assert.Equal(request.CgroupSelfMoveFiles, read.CgroupSelfMoveFiles);
        using JsonDocument parsed = JsonDocument.Parse(read.Spec);
        Assert.Equal("echo \"h\u00e9\" <&> \\ \t", parsed.RootElement.GetProperty("process").GetProperty("args")[2].GetString());
    }

    [Fact]
    public void Unknown_properties_are_skipped_and_a_non_object_is_refused()
    {
        InitReply read = InitReply.Parse("""{"type":"error","extra":{"a":[1,2]},"step":"mounts","errno":13}""");

        Assert.Equal((InitReply.ErrorType, "mounts", 13, (string?)null), (read.Type, read.Step, read.Errno, read.Message));
        Assert.ThrowsAny<JsonException>(() => InitReply.Parse("[1]"));
    }
}
