namespace Berth.Cli.Templates.Nodes;

/// <summary>A function name.</summary>
internal sealed record IdentifierNode(int Position, string Name) : TemplateNode(Position);
