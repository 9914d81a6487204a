using System.Text.Json.Serialization;

namespace Berth.Images.Archive;

/// <summary>The OCI layout's <c>oci-layout</c> marker file.</summary>
internal sealed record OciLayoutFile
{
    [JsonPropertyName("imageLayoutVersion")]
    public string ImageLayoutVersion { get; init; } = "1.0.0";
}
