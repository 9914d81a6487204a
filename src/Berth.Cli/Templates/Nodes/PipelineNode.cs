namespace Berth.Cli.Templates.Nodes;

/// <param name="Declarations">Variables declared (`:=`) or assigned (`=`) by the pipeline.</param>
internal sealed record PipelineNode(int Position, string Source, List<string> Declarations, bool IsAssign, List<CommandNode> Commands) : TemplateNode(Position);
