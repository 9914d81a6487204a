namespace Berth.Cli.Templates.Nodes;

/// <summary>`(pipeline).A.B`.</summary>
internal sealed record ChainNode(int Position, TemplateNode Node, string[] Fields) : TemplateNode(Position);
