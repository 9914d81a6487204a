using System.Text.Json.Serialization;
using Berth.Runtime.Init;
using Berth.Runtime.State;

namespace Berth.Runtime;

/// <summary>
/// Serialization-only twins of <see cref="RuntimeJsonContext"/>'s documents written on every container start. The
/// generated writers need no property metadata, so the first write in a process does not build metadata for
/// every nested spec type (which NativeAOT does through reflection, at a cost of milliseconds). Same options, so
/// the same bytes.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Serialization,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerState))]
public sealed partial class RuntimeWriteJsonContext : JsonSerializerContext;
