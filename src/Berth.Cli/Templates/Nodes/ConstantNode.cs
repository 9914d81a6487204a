namespace Berth.Cli.Templates.Nodes;

/// <summary>A string, number, character or boolean literal, already converted (string, long, double, bool).</summary>
internal sealed record ConstantNode(int Position, object Value) : TemplateNode(Position);
