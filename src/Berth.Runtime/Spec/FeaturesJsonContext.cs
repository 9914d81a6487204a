using System.Text.Json.Serialization;

namespace Berth.Runtime.Spec;

/// <summary>Source-generated JSON for the features document; internal because only its text leaves this assembly.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(FeaturesDocument))]
internal sealed partial class FeaturesJsonContext : JsonSerializerContext;
