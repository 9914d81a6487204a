using System.Text;
using System.Text.Json;
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
}
