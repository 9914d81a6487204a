using System.Text.Json.Serialization;

namespace Berth.Storage.Tests.Metadata;

[JsonSerializable(typeof(TestDocument))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
