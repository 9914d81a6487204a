using System.Text.Json.Serialization;

namespace Berth.Storage.Snapshots;

[JsonSourceGenerationOptions(UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SnapshotTable))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;
