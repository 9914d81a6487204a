using System.Text.Json.Serialization;
using Berth.Registry.Auth;
using Berth.Registry.Manifests;

namespace Berth.Registry;

/// <summary>Every type the registry client reads or writes (source-generated: NativeAOT-safe, no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OciIndex))]
[JsonSerializable(typeof(OciManifest))]
[JsonSerializable(typeof(ManifestProbe))]
[JsonSerializable(typeof(ImageConfigFile))]
[JsonSerializable(typeof(DistributionErrors))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(DockerConfigFile))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
