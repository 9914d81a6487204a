using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>A computed row (docker's formatter SubContext): named fields evaluated on demand.</summary>
internal class TemplateRow(string typeName) : ITemplateObject
{
    private readonly Dictionary<string, Func<object?>> _fields = new(StringComparer.Ordinal);

    public string TypeName { get; } = typeName;

    public IEnumerable<string> FieldNames => _fields.Keys;

    protected void Add(string name, Func<object?> value) => _fields[name] = value;

    public bool TryGetField(string name, out object? value)
    {
        if (_fields.TryGetValue(name, out Func<object?>? field))
        {
            value = field();
            return true;
        }

        value = null;
        return false;
    }
}
