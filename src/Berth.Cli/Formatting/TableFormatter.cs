using System.Text;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>
/// docker's formatter.Context: "table" (default columns), "table …" (header + tabwriter), "json" (one JSON object per
/// row) or a plain template, each row followed by a newline. `\t` and `\n` written literally in the flag are escapes.
/// </summary>
internal static class TableFormatter
{
    /// <exception cref="TemplateException">The format is not a valid template ("template parsing error" is added by the caller).</exception>
    public static string Render(string format, string defaultTable, IReadOnlyDictionary<string, string> headers, IEnumerable<ITemplateObject> rows)
    {
        if (format == "table")
        {
            format = defaultTable;
        }
        else if (format == "json")
        {
            format = "{{json .}}";
        }

        bool table = format.StartsWith("table", StringComparison.Ordinal);
        if (table)
        {
            format = format["table".Length..];
        }

        format = format.Trim(' ').Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);
        GoTemplate template = GoTemplate.Parse(format);
        var body = new StringBuilder();
        foreach (ITemplateObject row in rows)
        {
            template.Execute(row, body);
            body.Append('\n');
        }

        if (!table)
        {
            return body.ToString();
        }

        var all = new StringBuilder();
        try
        {
            template.Execute(new HeaderRow(headers), all);
        }
        catch (TemplateException)
        {
            // docker ignores header errors (e.g. a method like .Label "x" on the header map) and keeps what was written.
        }

        all.Append('\n').Append(body);
        return TabWriter.Format(all.ToString());
    }

    /// <summary>docker's stringid.TruncateID: drops an algorithm prefix and keeps 12 characters.</summary>
    public static string TruncateId(string id)
    {
        int colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            id = id[(colon + 1)..];
        }

        return id.Length > 12 ? id[..12] : id;
    }

    /// <summary>docker's formatter.Ellipsis: cut to a display width, ending with "…".</summary>
    public static string Ellipsis(string s, int maxWidth)
    {
        var runes = s.EnumerateRunes().ToList();
        if (runes.Count <= maxWidth)
        {
            return s;
        }

        return maxWidth <= 1 ? string.Concat(runes.Take(maxWidth)) : string.Concat(runes.Take(maxWidth - 1)) + "…";
    }
}
