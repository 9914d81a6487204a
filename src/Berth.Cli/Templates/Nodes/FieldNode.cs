namespace Berth.Cli.Templates.Nodes;

/// <summary>`.A.B`: a chain of field names applied to dot.</summary>
internal sealed record FieldNode(int Position, string[] Names) : TemplateNode(Position);
