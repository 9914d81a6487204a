using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Daemon.Configuration;

/// <summary>Source-generated JSON for berthd's own files (daemon.json).</summary>
[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(DaemonConfigFile))]
internal sealed partial class DaemonJsonContext : JsonSerializerContext;
