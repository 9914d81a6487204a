namespace Berth.Cli.Templates.Nodes;

internal sealed record ActionNode(int Position, PipelineNode Pipe) : TemplateNode(Position);
