namespace Berth.Cli.Templates.Nodes;

internal sealed record CommandNode(int Position, List<TemplateNode> Arguments) : TemplateNode(Position);
