using System.Text;
using System.Text.Json;
using Berth.Runtime.Shim;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Shim;

/// <summary>
/// An exec request's process is read by the spec reader on the request's own reader, so it follows the shim
/// protocol's rules (no comments, no trailing commas), not config.json's; held to <see cref="ShimJsonContext"/>.
/// </summary>
public sealed class ShimRequestReaderTests
{
    [Theory]
    [InlineData("""{"op":"exec","process":{"args":["a"],"x":{"y":[1,{"z":[]}]},"user":{"uid":1,"w":[[]]}},"execId":"e"}""")]
    [InlineData("""{"op":"exec","process":{"args":["a"]},"process":{"cwd":"/b"}}""")]
    [InlineData("""{"op":"exec","process":{"args":["a"],"env":null,"rlimits":[null],"oomScoreAdj":null}}""")]
    [InlineData("""{"op":"exec","process":{"args":["\u0026\u0026 __LONG__"]},"execId":"__LONG__"}""")]
    public void Reads_as_the_serializer_reads(string json)
    {
        json = json.Replace("__LONG__", string.Concat(Enumerable.Repeat("\\u00e9\\\"x\\\" \\u003C ", 40)), StringComparison.Ordinal);
        ShimRequest expected = JsonSerializer.Deserialize(json, ShimJsonContext.Default.ShimRequest)!;

        ShimRequest read = ShimRequest.Parse(Encoding.UTF8.GetBytes(json))!;

        Assert.Equal(Serialize(expected), Serialize(read));
    }

    [Theory]
    [InlineData("""{"op":"exec","process":{/* c */"args":["a"]}}""")]
    [InlineData("""{"op":"exec","process":{"args":["a",]}}""")]
    [InlineData("""{"op":"exec","process":{"args":["a"],}}""")]
    [InlineData("""{"op":"exec","process":{"user":{"uid":4294967296}}}""")]
    [InlineData("""{"op":"exec","process":{"consoleSize":{"height":-1}}}""")]
    [InlineData("""{"op":"exec","process":[]}""")]
    [InlineData("""{"op":"exec","process":{"args":["a"]}} {}""")]
    public void What_the_serializer_refuses_is_a_json_exception(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, ShimJsonContext.Default.ShimRequest));
        Assert.ThrowsAny<JsonException>(() => ShimRequest.Parse(Encoding.UTF8.GetBytes(json)));
    }

    private static string Serialize(ShimRequest request) => JsonSerializer.Serialize(request, ShimJsonContext.Default.ShimRequest);
}
