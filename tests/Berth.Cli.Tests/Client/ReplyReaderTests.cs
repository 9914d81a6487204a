using System.Text;
using System.Text.Json;
using Berth.Api.Json;
using Berth.Client;

namespace Berth.Cli.Tests.Client;

/// <summary>The hand-read replies must read as the serializer reads them, and be refused where it refuses them.</summary>
public sealed class ReplyReaderTests
{
    [Theory]
    [InlineData("""{"Id":"c1","Warnings":["w1","w2"]}""")]
    [InlineData("""{"id":"c1","warnings":null,"Extra":{"x":[1,{"y":null}]},"ID":"c2"}""")]
    [InlineData("""  {"Warnings":[],"Id":"c\u00e9\n"}  """)]
    [InlineData("""null""")]
    public void Create_replies_read_as_the_serializer_reads_them(string json)
    {
        var expected = JsonSerializer.Deserialize(json, ApiJsonContext.Default.ContainerCreateResponse);
        var actual = ReplyReader.Created(Encoding.UTF8.GetBytes(json));
        Assert.Equal(expected?.Id, actual?.Id);
        Assert.Equal(expected?.Warnings, actual?.Warnings);
    }

    [Fact]
    public void Absent_fields_keep_the_declared_defaults()
    {
        // Where the serializer's generated code leaves an absent init-only property null despite its initializer,
        // the hand reader keeps what the type declares; docker always sends both fields anyway.
        var created = ReplyReader.Created("{}"u8.ToArray())!;
        Assert.Equal(("", 0), (created.Id, created.Warnings.Count));
    }

    [Theory]
    [InlineData("""{"StatusCode":137}""")]
    [InlineData("""{"statuscode":1,"Error":{"Message":"oops","Other":true}}""")]
    [InlineData("""{"StatusCode":-1,"error":null}""")]
    [InlineData("""{"StatusCode":9223372036854775807}""")]
    public void Wait_replies_read_as_the_serializer_reads_them(string json)
    {
        var expected = JsonSerializer.Deserialize(json, ApiJsonContext.Default.ContainerWaitResponse)!;
        var actual = ReplyReader.Waited(Encoding.UTF8.GetBytes(json))!;
        Assert.Equal((expected.StatusCode, expected.Error?.Message), (actual.StatusCode, actual.Error?.Message));
    }

    [Theory]
    [InlineData("""{"Id":"e1"}""")]
    [InlineData("""{"iD":"e1","Warnings":["ignored"]}""")]
    public void Id_replies_read_as_the_serializer_reads_them(string json) =>
        Assert.Equal(JsonSerializer.Deserialize(json, ApiJsonContext.Default.IdResponse)!.Id, ReplyReader.Id(Encoding.UTF8.GetBytes(json))!.Id);

    [Theory]
    [InlineData("""{"Id":"c1",}""")]
    [InlineData("""{"Id":"c1"} x""")]
    [InlineData("""{"Id":1}""")]
    [InlineData("""{"Warnings":"w"}""")]
    [InlineData("""[]""")]
    [InlineData("""{"Id":"c1" /* no */}""")]
    [InlineData("")]
    public void Malformed_create_replies_are_refused_as_the_serializer_refuses_them(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, ApiJsonContext.Default.ContainerCreateResponse));
        Assert.ThrowsAny<JsonException>(() => ReplyReader.Created(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("""{"StatusCode":"1"}""")]
    [InlineData("""{"StatusCode":1.5}""")]
    [InlineData("""{"StatusCode":99999999999999999999}""")]
    [InlineData("""{"Error":"oops"}""")]
    public void Malformed_wait_replies_are_refused_as_the_serializer_refuses_them(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, ApiJsonContext.Default.ContainerWaitResponse));
        Assert.ThrowsAny<JsonException>(() => ReplyReader.Waited(Encoding.UTF8.GetBytes(json)));
    }
}
