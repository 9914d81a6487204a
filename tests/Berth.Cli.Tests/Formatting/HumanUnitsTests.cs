using Berth.Cli.Formatting;

namespace Berth.Cli.Tests.Formatting;

/// <summary>Expected strings follow docker/go-units (HumanDuration, HumanSizeWithPrecision) as docker ps/images print them.</summary>
public sealed class HumanUnitsTests
{
    [Theory]
    [InlineData(0, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(2, "2 seconds")]
    [InlineData(59, "59 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(119, "About a minute")]
    [InlineData(120, "2 minutes")]
    [InlineData(3 * 60, "3 minutes")]
    [InlineData(59 * 60, "59 minutes")]
    [InlineData(60 * 60, "About an hour")]
    [InlineData(89 * 60, "About an hour")]
    [InlineData(90 * 60, "2 hours")]
    [InlineData(47 * 3600, "47 hours")]
    [InlineData(48 * 3600, "2 days")]
    [InlineData(14 * 86400, "2 weeks")]
    [InlineData(60 * 86400, "2 months")]
    [InlineData(800 * 86400, "2 years")]
    public void Durations_read_like_go_units(long seconds, string expected) =>
        Assert.Equal(expected, HumanUnits.Duration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(999, "999B")]
    [InlineData(1200, "1.2kB")]
    [InlineData(4_260_000, "4.26MB")]
    [InlineData(4_264_999, "4.26MB")]
    [InlineData(123_456_789, "123MB")]
    [InlineData(12_000_000_000, "12GB")]
    public void Sizes_use_si_units_with_three_significant_digits(long bytes, string expected) =>
        Assert.Equal(expected, HumanUnits.Size(bytes));

    [Theory]
    [InlineData(32_000_000, "32MB")]
    [InlineData(12_345_678, "12.35MB")]
    public void Progress_sizes_use_four_digits(long bytes, string expected) => Assert.Equal(expected, HumanUnits.ProgressSize(bytes));
}
