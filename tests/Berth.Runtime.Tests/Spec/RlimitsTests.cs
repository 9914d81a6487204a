using Berth.Core.Errors;
using Berth.Linux;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Spec;

public sealed class RlimitsTests
{
    [Theory]
    [InlineData("RLIMIT_CPU", 0)]
    [InlineData("RLIMIT_FSIZE", 1)]
    [InlineData("RLIMIT_DATA", 2)]
    [InlineData("RLIMIT_STACK", 3)]
    [InlineData("RLIMIT_CORE", 4)]
    [InlineData("RLIMIT_RSS", 5)]
    [InlineData("RLIMIT_NPROC", 6)]
    [InlineData("RLIMIT_NOFILE", 7)]
    [InlineData("RLIMIT_MEMLOCK", 8)]
    [InlineData("RLIMIT_AS", 9)]
    [InlineData("RLIMIT_LOCKS", 10)]
    [InlineData("RLIMIT_SIGPENDING", 11)]
    [InlineData("RLIMIT_MSGQUEUE", 12)]
    [InlineData("RLIMIT_NICE", 13)]
    [InlineData("RLIMIT_RTPRIO", 14)]
    [InlineData("RLIMIT_RTTIME", 15)]
    public void Numbers_match_the_kernel(string type, int number)
    {
        Assert.Equal(number, Rlimits.Number(type));
    }

    [Fact]
    public void Unknown_type_is_invalid()
    {
        var ex = Assert.Throws<BerthException>(() => Rlimits.Number("RLIMIT_FOO"));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal("unknown rlimit \"RLIMIT_FOO\"", ex.Message);
    }

    [Fact]
    public void Spec_entry_becomes_a_setrlimit_call()
    {
        var limit = Rlimits.ToResourceLimit(new SpecRlimit { Type = "RLIMIT_NOFILE", Soft = 1024, Hard = 4096 });

        Assert.Equal(new ResourceLimit(7, 1024, 4096), limit);
    }
}
