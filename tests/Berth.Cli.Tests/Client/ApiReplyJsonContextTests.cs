using System.Text.Json;
using Berth.Api.Json;

namespace Berth.Cli.Tests.Client;

/// <summary>The small context the client reads its hottest replies with must read them as the full context does.</summary>
public sealed class ApiReplyJsonContextTests
{
    [Theory]
    [InlineData("""{"Id":"c1","Warnings":["w1","w2"]}""")]
    [InlineData("""{"id":"c1","warnings":null,"Extra":{"x":[1]}}""")]
    public void Create_replies_read_as_the_full_context_reads_them(string json)
    {
        var full = JsonSerializer.Deserialize(json, ApiJsonContext.Default.ContainerCreateResponse)!;
        var small = JsonSerializer.Deserialize(json, ApiReplyJsonContext.Default.ContainerCreateResponse)!;
        Assert.Equal(full.Id, small.Id);
        Assert.Equal(full.Warnings, small.Warnings);
    }

    [Theory]
    [InlineData("""{"StatusCode":137}""")]
    [InlineData("""{"statuscode":1,"Error":{"Message":"oops"}}""")]
    public void Wait_replies_read_as_the_full_context_reads_them(string json)
    {
        var full = JsonSerializer.Deserialize(json, ApiJsonContext.Default.ContainerWaitResponse)!;
        var small = JsonSerializer.Deserialize(json, ApiReplyJsonContext.Default.ContainerWaitResponse)!;
        Assert.Equal((full.StatusCode, full.Error?.Message), (small.StatusCode, small.Error?.Message));
    }

    [Fact]
    public void Id_replies_read_as_the_full_context_reads_them()
    {
        const string json = """{"Id":"e1"}""";
        Assert.Equal(JsonSerializer.Deserialize(json, ApiJsonContext.Default.IdResponse)!.Id, JsonSerializer.Deserialize(json, ApiReplyJsonContext.Default.IdResponse)!.Id);
    }

    [Fact]
    public void Malformed_replies_are_refused_as_the_full_context_refuses_them()
    {
        const string json = """{"Id":"c1",}""";
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ApiJsonContext.Default.ContainerCreateResponse));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ApiReplyJsonContext.Default.ContainerCreateResponse));
    }
}
