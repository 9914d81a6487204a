using System.Text;
using Berth.Runtime.Shim;

namespace Berth.Runtime.Tests.Shim;

public sealed class LogLineAssemblerTests
{
    private readonly List<(string Text, bool Partial)> _records = [];

    private LogLineAssembler Make() => new((line, partial) => _records.Add((Encoding.ASCII.GetString(line.Span), partial)));

    [Fact]
    public void Lines_split_across_reads_are_joined()
    {
        LogLineAssembler lines = Make();
        lines.Append("he"u8);
        lines.Append("llo\nwor"u8);
        lines.Append("ld\n\nlast"u8);
        Assert.Equal([("hello", false), ("world", false), ("", false)], _records);

        lines.Complete();
        Assert.Equal(("last", true), _records[^1]);
    }

    [Fact]
    public void A_line_longer_than_16_KiB_is_cut_into_partial_records()
    {
        LogLineAssembler lines = Make();
        string longLine = new('x', (2 * LogLineAssembler.MaxLine) + 10);
        lines.Append(Encoding.ASCII.GetBytes(longLine + "\nnext\n"));
        Assert.Equal(
            [(new string('x', LogLineAssembler.MaxLine), true), (new string('x', LogLineAssembler.MaxLine), true), (new string('x', 10), false), ("next", false)],
            _records);
    }

    [Fact]
    public void A_line_that_fills_the_buffer_but_its_newline_is_flushed_whole()
    {
        LogLineAssembler lines = Make();
        lines.Append(Encoding.ASCII.GetBytes(new string('y', LogLineAssembler.MaxLine - 1) + "\n"));
        Assert.Equal([(new string('y', LogLineAssembler.MaxLine - 1), false)], _records);
    }

    [Fact]
    public void Nothing_is_left_after_complete_when_all_lines_ended()
    {
        LogLineAssembler lines = Make();
        lines.Append("a\n"u8);
        lines.Complete();
        Assert.Equal([("a", false)], _records);
    }
}
