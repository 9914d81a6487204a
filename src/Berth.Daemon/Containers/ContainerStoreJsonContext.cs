using System.Text.Json.Serialization;

namespace Berth.Daemon.Containers;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerRecord))]
internal sealed partial class ContainerStoreJsonContext : JsonSerializerContext;
