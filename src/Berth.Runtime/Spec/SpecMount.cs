namespace Berth.Runtime.Spec;

public sealed class SpecMount
{
    public string Destination { get; set; } = "";

    public string? Type { get; set; }

    public string? Source { get; set; }

    public List<string>? Options { get; set; }

    public List<SpecIdMapping>? UidMappings { get; set; }

    public List<SpecIdMapping>? GidMappings { get; set; }
}
