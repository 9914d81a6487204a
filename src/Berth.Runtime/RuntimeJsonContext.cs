using System.Text.Json.Serialization;
using Berth.Runtime.State;

namespace Berth.Runtime;

/// <summary>Source-generated JSON for the runtime's own documents: state.json, state and list output.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(OciState))]
[JsonSerializable(typeof(List<OciState>))]
[JsonSerializable(typeof(List<int>))]
public sealed partial class RuntimeJsonContext : JsonSerializerContext;
