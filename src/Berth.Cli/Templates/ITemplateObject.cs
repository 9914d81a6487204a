namespace Berth.Cli.Templates;

/// <summary>
/// A computed object a template can read fields from, as docker's formatter contexts (ContainerContext, ImageContext)
/// expose methods like .ID or .RunningFor. A field whose value is a <see cref="TemplateMethod"/> takes arguments (`.Label "k"`).
/// </summary>
internal interface ITemplateObject
{
    /// <summary>The Go type name used in "can't evaluate field X in type T" errors.</summary>
    string TypeName { get; }

    /// <summary>Field names in the order `{{json .}}` writes them.</summary>
    IEnumerable<string> FieldNames { get; }

    bool TryGetField(string name, out object? value);
}
