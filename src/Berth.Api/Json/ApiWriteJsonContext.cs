using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Api.Containers;
using Berth.Api.Exec;

namespace Berth.Api.Json;

/// <summary>
/// Serialization-only twins of <see cref="ApiJsonContext"/>'s request bodies sent on every <c>berth run</c> and
/// <c>berth exec</c>. The generated writers need no property metadata, which NativeAOT builds through reflection (about
/// a millisecond for the create request's graph). Same options but the time converter (these bodies carry no times),
/// so the same bytes. A property-level converter anywhere in a type rules its generated writer out: hence
/// <see cref="StrSlice"/>.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Serialization,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(ExecCreateRequest))]
[JsonSerializable(typeof(ExecStartRequest))]
[JsonSerializable(typeof(ContainerCreateRequest))]
public sealed partial class ApiWriteJsonContext : JsonSerializerContext;
