using System.Text;
using Berth.Cli.Templates.Nodes;

namespace Berth.Cli.Templates;

/// <summary>A parsed Go text/template, executed over JSON data (System.Text.Json) and computed row objects.</summary>
internal sealed class GoTemplate
{
    private readonly ListNode _root;
    private readonly string _source;

    private GoTemplate(string name, string source, ListNode root)
    {
        Name = name;
        _source = source;
        _root = root;
    }

    public string Name { get; }

    /// <summary>Go's Option("missingkey=error"): an absent map key fails instead of printing "&lt;no value&gt;".</summary>
    public bool MissingKeyError { get; init; }

    /// <exception cref="TemplateException">The text does not parse; the message is Go's ("template: name:1: unclosed action").</exception>
    public static GoTemplate Parse(string text, string name = "") =>
        new(name, text, new TemplateParser(name, text, new HashSet<string>(TemplateFunctions.All.Keys, StringComparer.Ordinal)).Parse());

    public GoTemplate WithMissingKeyError() => new(Name, _source, _root) { MissingKeyError = true };

    /// <exception cref="TemplateException">Execution failed; <paramref name="output"/> keeps what was written before.</exception>
    public void Execute(object? data, StringBuilder output) =>
        new TemplateExecutor(Name, _source, MissingKeyError).Execute(_root, data, output);

    public string Execute(object? data)
    {
        var sb = new StringBuilder();
        Execute(data, sb);
        return sb.ToString();
    }
}
