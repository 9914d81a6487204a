using System.Text.Json.Serialization;

namespace Berth.Runtime.Spec;

public sealed class SpecIdMapping
{
    [JsonPropertyName("containerID")]
    public uint ContainerId { get; set; }

    [JsonPropertyName("hostID")]
    public uint HostId { get; set; }

    public uint Size { get; set; }
}
