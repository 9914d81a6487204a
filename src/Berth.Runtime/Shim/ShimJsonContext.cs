using System.Text.Json.Serialization;

namespace Berth.Runtime.Shim;

/// <summary>Source-generated JSON for the shim protocol and exit.json.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ShimRequest))]
[JsonSerializable(typeof(ShimResponse))]
[JsonSerializable(typeof(ShimState))]
[JsonSerializable(typeof(ShimReadiness))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ShimJsonContext : JsonSerializerContext;
