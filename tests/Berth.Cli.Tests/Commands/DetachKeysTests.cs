using Berth.Cli.Terminal;

namespace Berth.Cli.Tests.Commands;

public sealed class DetachKeysTests
{
    [Fact]
    public void Default_is_ctrl_p_ctrl_q() => Assert.Equal([16, 17], DetachKeys.Parse(null).Keys);

    [Fact]
    public void Custom_keys_parse_like_docker() => Assert.Equal([(byte)'a', 0, 27], DetachKeys.Parse("a,ctrl-@,ctrl-[").Keys);

    [Fact]
    public void Bad_keys_are_a_usage_error() => Assert.Throws<UsageException>(() => DetachKeys.Parse("ctrl-"));

    [Fact]
    public void The_sequence_detaches_and_is_not_forwarded()
    {
        var keys = DetachKeys.Parse(null);
        byte[] forward = new byte[32];
        (int count, bool detach) = keys.Filter([(byte)'l', (byte)'s', 16, 17], forward);
        Assert.True(detach);
        Assert.Equal("ls"u8.ToArray(), forward[..count]);
    }

    [Fact]
    public void A_broken_sequence_is_forwarded_even_across_reads()
    {
        var keys = DetachKeys.Parse(null);
        byte[] forward = new byte[32];
        (int first, bool d1) = keys.Filter([(byte)'a', 16], forward);
        Assert.False(d1);
        Assert.Equal("a"u8.ToArray(), forward[..first]);
        (int second, bool d2) = keys.Filter([(byte)'b'], forward);
        Assert.False(d2);
        Assert.Equal(new byte[] { 16, (byte)'b' }, forward[..second]);
    }
}
