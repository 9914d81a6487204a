using Berth.RuntimeCli;

namespace Berth.RuntimeCli.Tests;

/// <summary>runc stops reading flags at exec's container id; the rewrite makes System.CommandLine do the same.</summary>
public sealed class ExecArgumentsTests
{
    [Theory]
    [InlineData("exec c1 sh -c true", "exec c1 -- sh -c true")]
    [InlineData("--root /r exec -t --cwd /tmp c1 ls -l", "--root /r exec -t --cwd /tmp c1 -- ls -l")]
    [InlineData("exec -e A=1 -u 1000:1000 c1 id -u", "exec -e A=1 -u 1000:1000 c1 -- id -u")]
    [InlineData("exec --process /p.json --detach c1", "exec --process /p.json --detach c1 --")]
    [InlineData("exec c1 -- sh", "exec c1 -- sh")]
    [InlineData("run --bundle /b c1", "run --bundle /b c1")]
    public void Flags_after_the_container_id_belong_to_the_command(string given, string expected)
    {
        Assert.Equal(expected.Split(' '), ExecArguments.Normalize(given.Split(' ')));
    }
}
