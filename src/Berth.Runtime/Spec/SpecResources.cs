namespace Berth.Runtime.Spec;

public sealed class SpecResources
{
    public List<SpecDeviceRule>? Devices { get; set; }

    public SpecMemory? Memory { get; set; }

    public SpecCpu? Cpu { get; set; }

    public SpecPids? Pids { get; set; }

    public Dictionary<string, string>? Unified { get; set; }
}
