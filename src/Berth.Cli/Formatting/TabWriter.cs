using System.Text;

namespace Berth.Cli.Formatting;

/// <summary>
/// Go's text/tabwriter with docker's settings (minwidth 10, padding 3, pad with spaces): tab-terminated cells are
/// aligned in columns; a column block ends at the first line without a cell in that column.
/// </summary>
internal static class TabWriter
{
    public static string Format(string text, int minWidth = 10, int padding = 3)
    {
        bool trailingNewline = text.EndsWith('\n');
        string[] lines = (trailingNewline ? text[..^1] : text).Split('\n');
        var cells = lines.Select(l => l.Split('\t')).ToArray();
        var output = new StringBuilder();
        var widths = new List<int>();
        FormatBlock(cells, 0, cells.Length, widths, output, minWidth, padding);
        if (!trailingNewline && output.Length > 0)
        {
            output.Length--;
        }

        return output.ToString();
    }

    private static void FormatBlock(string[][] lines, int line0, int line1, List<int> widths, StringBuilder output, int minWidth, int padding)
    {
        int column = widths.Count;
        for (int current = line0; current < line1; current++)
        {
            // Only tab-terminated cells take part in alignment: the last cell of a line never does.
            if (column >= lines[current].Length - 1)
            {
                continue;
            }

            WriteLines(lines, line0, current, widths, output);
            line0 = current;
            int width = minWidth;
            for (; current < line1; current++)
            {
                if (column >= lines[current].Length - 1)
                {
                    break;
                }

                width = Math.Max(width, Width(lines[current][column]) + padding);
            }

            widths.Add(width);
            FormatBlock(lines, line0, current, widths, output, minWidth, padding);
            widths.RemoveAt(widths.Count - 1);
            line0 = current;
        }

        WriteLines(lines, line0, line1, widths, output);
    }

    private static void WriteLines(string[][] lines, int from, int to, List<int> widths, StringBuilder output)
    {
        for (int i = from; i < to; i++)
        {
            string[] line = lines[i];
            for (int j = 0; j < line.Length; j++)
            {
                output.Append(line[j]);
                if (j < widths.Count && j < line.Length - 1)
                {
                    output.Append(' ', Math.Max(0, widths[j] - Width(line[j])));
                }
            }

            output.Append('\n');
        }
    }

    private static int Width(string cell) => cell.EnumerateRunes().Count();
}
