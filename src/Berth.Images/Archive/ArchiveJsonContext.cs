using System.Text.Json.Serialization;

namespace Berth.Images.Archive;

/// <summary>The docker-save and OCI layout files berth writes and reads (source-generated: NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ArchiveManifestEntry>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
[JsonSerializable(typeof(OciLayoutFile))]
internal sealed partial class ArchiveJsonContext : JsonSerializerContext;
