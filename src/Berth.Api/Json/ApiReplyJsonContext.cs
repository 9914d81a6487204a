using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Api.Containers;

namespace Berth.Api.Json;

/// <summary>
/// A small twin of <see cref="ApiJsonContext"/> for the replies every <c>berth run</c> and <c>berth exec</c> reads. A
/// context's static constructor encodes the property names of every type it holds, which for the full context was
/// about a twentieth of a `berth run -d`'s CPU; this one holds only these. Same options, so the same reading.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(ContainerCreateResponse))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(IdResponse))]
public sealed partial class ApiReplyJsonContext : JsonSerializerContext;
