namespace Berth.Cli.Templates.Nodes;

/// <summary>`if`, `range` or `with`: the pipeline, the body and the optional `else` body.</summary>
internal sealed record BranchNode(int Position, BranchKind Kind, PipelineNode Pipe, ListNode List, ListNode? Else) : TemplateNode(Position);
