namespace Berth.Cli.Templates.Nodes;

/// <summary>`break` or `continue` inside a range.</summary>
internal sealed record LoopControlNode(int Position, bool IsBreak) : TemplateNode(Position);
