using System.Text.Json.Serialization;

namespace Berth.Runtime.Tests.Json;

/// <summary>Strings as the serializer writes them (its default encoder escapes &lt;, &gt;, &amp;, quotes and non-ASCII).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class StringContext : JsonSerializerContext;
