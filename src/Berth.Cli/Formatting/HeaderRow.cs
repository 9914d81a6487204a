using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>The header context of a `table` format: each field yields its column title; unknown fields are blank (a Go map[string]string).</summary>
internal sealed class HeaderRow(IReadOnlyDictionary<string, string> headers) : ITemplateObject
{
    public string TypeName => "formatter.SubHeaderContext";

    public IEnumerable<string> FieldNames => headers.Keys;

    public bool TryGetField(string name, out object? value)
    {
        value = headers.TryGetValue(name, out string? title) ? title : "";
        return true;
    }
}
