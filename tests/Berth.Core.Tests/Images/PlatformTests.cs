using Berth.Core.Errors;
using Berth.Core.Images;

namespace Berth.Core.Tests.Images;

public sealed class PlatformTests
{
    [Theory]
    [InlineData("linux/amd64", "linux/amd64")]
    [InlineData("linux/x86_64", "linux/amd64")]
    [InlineData("linux/arm64/v8", "linux/arm64")]
    [InlineData("linux/aarch64", "linux/arm64")]
    [InlineData("linux/arm", "linux/arm/v7")]
    [InlineData("linux/armhf", "linux/arm/v7")]
    [InlineData("linux/arm/v6", "linux/arm/v6")]
    [InlineData("linux/arm/6", "linux/arm/v6")]
    [InlineData("linux/i386", "linux/386")]
    [InlineData("Linux/AMD64", "linux/amd64")]
    [InlineData("linux/riscv64", "linux/riscv64")]
    public void Platforms_parse_and_normalize_like_containerd(string input, string expected)
    {
        Assert.Equal(expected, Platform.Parse(input).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("linux/")]
    [InlineData("linux/arm/v7/x")]
    [InlineData("linux/a b")]
    public void Malformed_platforms_are_refused(string input)
    {
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => Platform.Parse(input)).Kind);
    }

    [Fact]
    public void A_lone_os_takes_the_host_architecture()
    {
        Assert.Equal(Platform.Host, Platform.Parse("linux"));
    }

    [Fact]
    public void The_host_is_linux_on_a_known_architecture()
    {
        Assert.Equal("linux", Platform.Host.OS);
        Assert.DoesNotContain("unknown", Platform.Host.Architecture, StringComparison.Ordinal);
    }

    [Fact]
    public void Matching_ignores_a_variant_only_one_side_names()
    {
        Assert.True(Platform.Parse("linux/arm/v7").Matches(new Platform("linux", "arm", "v7")));
        Assert.False(Platform.Parse("linux/arm/v7").Matches(new Platform("linux", "arm", "v6")));
        Assert.True(Platform.Parse("linux/arm64").Matches(Platform.Parse("linux/arm64/v8")));
        Assert.False(Platform.Parse("linux/amd64").Matches(Platform.Parse("linux/arm64")));
        Assert.False(Platform.Parse("linux/amd64").Matches(new Platform("unknown", "unknown")));
    }
}
