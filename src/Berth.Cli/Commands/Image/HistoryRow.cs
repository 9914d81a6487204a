using Berth.Api.Images;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Image;

/// <summary>docker's historyContext.</summary>
internal sealed class HistoryRow : TemplateRow
{
    public HistoryRow(ImageHistoryItem item, bool truncate, DateTimeOffset now) : base("*formatter.historyContext")
    {
        Add("ID", () => item.Id.StartsWith('<') ? item.Id : truncate ? TableFormatter.TruncateId(item.Id) : item.Id);
        Add("CreatedSince", () => HumanUnits.Duration(now - DateTimeOffset.FromUnixTimeSeconds(item.Created)) + " ago");
        Add("CreatedAt", () => DateTimeOffset.FromUnixTimeSeconds(item.Created).ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
        Add("CreatedBy", () =>
        {
            string by = item.CreatedBy.Replace("\t", " ", StringComparison.Ordinal);
            return truncate ? TableFormatter.Ellipsis(by, 45) : by;
        });
        Add("Size", () => HumanUnits.Size(item.Size));
        Add("Comment", () => item.Comment);
    }
}
