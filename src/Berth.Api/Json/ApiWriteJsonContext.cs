using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Api.Exec;

namespace Berth.Api.Json;

/// <summary>
/// Serialization-only twins of <see cref="ApiJsonContext"/>'s exec request bodies, sent on every <c>berth exec</c>. The
/// generated writers need no property metadata, which NativeAOT builds through reflection. Same options but the time
/// converter (these bodies carry no times), so the same bytes.
/// The create request cannot be here: its Cmd and Entrypoint have their own converter, which rules the fast path out.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Serialization,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(ExecCreateRequest))]
[JsonSerializable(typeof(ExecStartRequest))]
public sealed partial class ApiWriteJsonContext : JsonSerializerContext;
