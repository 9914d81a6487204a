namespace Berth.Cli.Templates.Nodes;

internal sealed record TextNode(int Position, string Text) : TemplateNode(Position);
