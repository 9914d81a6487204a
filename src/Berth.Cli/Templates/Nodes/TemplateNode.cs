namespace Berth.Cli.Templates.Nodes;

/// <summary>A node of a parsed template; Position is the offset in the source, used in error messages.</summary>
internal abstract record TemplateNode(int Position);
