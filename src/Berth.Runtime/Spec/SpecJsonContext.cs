using System.Text.Json.Serialization;

namespace Berth.Runtime.Spec;

/// <summary>Source-generated (NativeAOT) JSON for the spec; unknown fields are ignored like runc does.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(RuntimeSpec))]
[JsonSerializable(typeof(SpecProcess))]
[JsonSerializable(typeof(SpecResources))]
public sealed partial class SpecJsonContext : JsonSerializerContext;
