using Berth.Core.Errors;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Spec;

public sealed class CapabilitiesTests
{
    [Theory]
    [InlineData("CAP_CHOWN", 0)]
    [InlineData("CAP_KILL", 5)]
    [InlineData("CAP_NET_BIND_SERVICE", 10)]
    [InlineData("CAP_NET_RAW", 13)]
    [InlineData("CAP_SYS_ADMIN", 21)]
    [InlineData("CAP_MKNOD", 27)]
    [InlineData("CAP_AUDIT_WRITE", 29)]
    [InlineData("CAP_SETFCAP", 31)]
    [InlineData("CAP_AUDIT_READ", 37)]
    [InlineData("CAP_PERFMON", 38)]
    [InlineData("CAP_BPF", 39)]
    [InlineData("CAP_CHECKPOINT_RESTORE", 40)]
    public void Numbers_match_the_kernel(string name, int number)
    {
        Assert.Equal(number, Capabilities.Number(name));
        Assert.Equal(name, Capabilities.All[number]);
        Assert.Equal(name, Capabilities.Name(number));
    }

    [Fact]
    public void All_has_41_distinct_names()
    {
        Assert.Equal(41, Capabilities.All.Count);
        Assert.Equal(40, Capabilities.Last);
        Assert.Equal(41, Capabilities.All.Distinct().Count());
        Assert.All(Capabilities.All, name => Assert.StartsWith("CAP_", name, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("CAP_FOO")]
    [InlineData("cap_chown")]
    [InlineData("CHOWN")]
    public void Unknown_name_is_invalid(string name)
    {
        var ex = Assert.Throws<BerthException>(() => Capabilities.Number(name));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"unknown capability \"{name}\"", ex.Message);
    }

    [Fact]
    public void Mask_sets_one_bit_per_capability()
    {
        ulong mask = Capabilities.ToMask(["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_KILL"], "x");

        Assert.Equal((1UL << 29) | (1UL << 5) | (1UL << 10), mask);
    }

    [Fact]
    public void Mask_of_all_is_the_low_41_bits()
    {
        Assert.Equal((1UL << 41) - 1, Capabilities.ToMask(Capabilities.All, "x"));
    }

    [Fact]
    public void Mask_of_null_or_empty_is_zero()
    {
        Assert.Equal(0UL, Capabilities.ToMask(null, "x"));
        Assert.Equal(0UL, Capabilities.ToMask([], "x"));
    }

    [Fact]
    public void Mask_error_names_the_field_and_the_capability()
    {
        var ex = Assert.Throws<BerthException>(() => Capabilities.ToMask(["CAP_KILL", "CAP_FOO"], "process.capabilities.bounding"));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal("process.capabilities.bounding: unknown capability \"CAP_FOO\"", ex.Message);
    }
}
