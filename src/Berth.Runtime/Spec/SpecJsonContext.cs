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
public sealed partial class SpecJsonContext : JsonSerializerContext
{
    private static SpecJsonContext? s_compact;

    /// <summary>As <see cref="Default"/>, written compact: for bundles only programs read (the daemon's), which the
    /// runtime then hands its init as one line without rewriting.</summary>
    public static SpecJsonContext Compact =>
        s_compact ??= new(new System.Text.Json.JsonSerializerOptions(SpecJsonContext.Default.Options) { WriteIndented = false });
}
