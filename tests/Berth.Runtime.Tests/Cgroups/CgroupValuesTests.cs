using Berth.Core.Errors;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class CgroupValuesTests
{
    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(2UL, 1UL)]
    [InlineData(1024UL, 39UL)]
    [InlineData(512UL, 20UL)]
    [InlineData(262144UL, 10000UL)]
    [InlineData(1UL, 1UL)]
    [InlineData(1_000_000UL, 10000UL)]
    public void Shares_convert_to_weight_like_runc(ulong shares, ulong weight) =>
        Assert.Equal(weight, CgroupValues.SharesToWeight(shares));

    [Theory]
    [InlineData(-1L, 0L, "max")]
    [InlineData(-1L, -1L, "max")]
    [InlineData(100L, -1L, "max")]
    [InlineData(100L, 0L, null)]
    [InlineData(0L, 0L, null)]
    [InlineData(100L, 100L, "0")]
    [InlineData(100L, 300L, "200")]
    public void Swap_max_is_the_spec_total_minus_memory(long memory, long swap, string? expected) =>
        Assert.Equal(expected, CgroupValues.SwapMax(memory, swap));

    [Theory]
    [InlineData(0L, 300L)]
    [InlineData(-1L, 300L)]
    [InlineData(400L, 300L)]
    public void Swap_without_a_fitting_memory_limit_is_rejected(long memory, long swap) =>
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => CgroupValues.SwapMax(memory, swap)).Kind);

    [Theory]
    [InlineData(0L, "max")]
    [InlineData(-1L, "max")]
    [InlineData(42L, "42")]
    public void Pids_limit_zero_and_minus_one_mean_max(long limit, string expected) =>
        Assert.Equal(expected, CgroupValues.PidsMax(limit));

    [Fact]
    public void Pids_limit_below_minus_one_is_rejected() =>
        Assert.Throws<BerthException>(() => CgroupValues.PidsMax(-2));
}
