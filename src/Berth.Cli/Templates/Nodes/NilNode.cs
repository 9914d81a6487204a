namespace Berth.Cli.Templates.Nodes;

internal sealed record NilNode(int Position) : TemplateNode(Position);
