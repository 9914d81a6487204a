using Berth.Cli.Formatting;

namespace Berth.Cli.Tests.Formatting;

public sealed class TabWriterTests
{
    [Fact]
    public void Columns_are_padded_to_the_widest_cell_plus_three_and_at_least_ten()
    {
        string text = "CONTAINER ID\tIMAGE\tNAMES\nabc\tbusybox:latest\tx\n";
        Assert.Equal(
            "CONTAINER ID   IMAGE            NAMES\n" +
            "abc            busybox:latest   x\n",
            TabWriter.Format(text));
    }

    [Fact]
    public void The_last_cell_is_not_padded_and_a_line_without_tabs_ends_the_block()
    {
        Assert.Equal("a         b\nlonger-line\nx         y\n", TabWriter.Format("a\tb\nlonger-line\nx\ty\n"));
    }

    [Fact]
    public void Widths_count_characters_not_bytes() =>
        Assert.Equal("\"sh -c …\"   x\n", TabWriter.Format("\"sh -c …\"\tx\n"));
}
