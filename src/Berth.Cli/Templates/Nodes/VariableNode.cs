namespace Berth.Cli.Templates.Nodes;

/// <summary>`$x.A.B`: a variable followed by field names.</summary>
internal sealed record VariableNode(int Position, string Name, string[] Fields) : TemplateNode(Position);
