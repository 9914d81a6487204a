using System.Text;
using System.Text.Json;
using Berth.Runtime.Init;

namespace Berth.Runtime.Tests.Init;

/// <summary>
/// Each message of the init protocol is one line holding one JSON object: both ends now read it as strictly as the
/// shim reads its requests, and long escaped strings and seccomp programs (read without the shared pool) survive.
/// </summary>
public sealed class InitProtocolStrictnessTests
{
    [Fact]
    public void A_long_escaped_spec_and_a_long_seccomp_program_read_back_as_written()
    {
        string spec = "{\"process\": {\"args\": [\"sh\", \"-c\", \"" + string.Concat(Enumerable.Repeat("echo \\\"h\u00e9\\\" && x > /dev/null; ", 30)) + "\"]}}";
        byte[] program = [.. Enumerable.Range(0, 8 * 300).Select(i => (byte)i)];
        var request = new InitRequest { ContainerId = "c1", Pid = 3, Bundle = "/b", Rootfs = "/r", Spec = Encoding.UTF8.GetBytes(spec), Seccomp = new ProcessSetup.SeccompFilter(program, 1) };

        InitRequest read = InitRequest.Parse(request.ToJson());

        Assert.Equal(spec, Encoding.UTF8.GetString(read.Spec));
        Assert.Equal(program, read.Seccomp!.Program);
        Assert.Equal(1u, read.Seccomp.Flags);
    }

    [Fact]
    public void A_spec_of_more_than_one_line_is_refused_before_it_can_break_the_line_framing()
    {
        var request = new InitRequest { ContainerId = "c1", Spec = "{\n\"ociVersion\": \"1.2.0\"\n}"u8.ToArray() };

        Assert.Throws<InvalidOperationException>(() => request.ToJson());
    }

    [Theory]
    [InlineData("""{"containerId":"c1","spec":"{}"}""")]
    [InlineData("""{"containerId":"c1","spec":[1]}""")]
    public void A_spec_that_is_not_an_object_is_a_json_exception(string line)
    {
        Assert.ThrowsAny<JsonException>(() => InitRequest.Parse(Encoding.UTF8.GetBytes(line)));
    }

    [Theory]
    [InlineData("""{"type":"ready","errno":0} x""")]
    [InlineData("""{"type":"ready","errno":0}{}""")]
    [InlineData("""{"type":"ready",}""")]
    [InlineData("""{"type":"ready", /* c */ "errno":0}""")]
    [InlineData("""{"type":1}""")]
    [InlineData("""{"errno":"2"}""")]
    [InlineData("""{"errno":2147483648}""")]
    [InlineData("null")]
    [InlineData("")]
    public void A_reply_that_is_not_one_object_of_the_right_shape_is_a_json_exception(string line)
    {
        Assert.ThrowsAny<JsonException>(() => InitReply.Parse(line));
    }

    [Theory]
    [InlineData("""{"containerId":"c1"} x""")]
    [InlineData("""{"containerId":"c1"},""")]
    [InlineData("""{"pid":1.5}""")]
    [InlineData("""{"cgroupSelfMoveFiles":["a",null]}""")]
    [InlineData("""{"cgroupSelfMoveFiles":"a"}""")]
    [InlineData("""{"seccomp":{"program":"AQI"}}""")]
    [InlineData("""{"seccomp":{"program":1}}""")]
    [InlineData("""{"seccomp":[]}""")]
    [InlineData("null")]
    public void A_request_that_is_not_one_object_of_the_right_shape_is_a_json_exception(string line)
    {
        Assert.ThrowsAny<JsonException>(() => InitRequest.Parse(System.Text.Encoding.UTF8.GetBytes(line)));
    }

    [Fact]
    public void Unknown_request_fields_of_any_shape_are_skipped()
    {
        InitRequest read = InitRequest.Parse("""{"x":{"a":[1,{"b":[]}]},"containerId":"c1","seccomp":{"y":[[]],"program":"AQID","flags":2},"z":[{}],"pid":4}"""u8);

        Assert.Equal(("c1", 4), (read.ContainerId, read.Pid));
        Assert.Equal([1, 2, 3], read.Seccomp!.Program);
        Assert.Equal(2u, read.Seccomp.Flags);
    }
}
