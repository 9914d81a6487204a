namespace Berth.Cli.Templates.Nodes;

internal sealed record DotNode(int Position) : TemplateNode(Position);
