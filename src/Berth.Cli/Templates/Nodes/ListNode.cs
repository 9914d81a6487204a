namespace Berth.Cli.Templates.Nodes;

internal sealed record ListNode(int Position, List<TemplateNode> Nodes) : TemplateNode(Position);
