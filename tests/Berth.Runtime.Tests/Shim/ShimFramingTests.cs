using Berth.Core.Errors;
using Berth.Runtime.Shim;

namespace Berth.Runtime.Tests.Shim;

public sealed class ShimFramingTests
{
    [Fact]
    public void A_request_round_trips_through_a_frame()
    {
        byte[] frame = ShimFraming.Encode(new ShimRequest { Op = ShimRequest.Kill, Signal = 9, All = true, ExecId = "e1" }, ShimJsonContext.Default.ShimRequest);
        Assert.Equal(frame.Length - 4, (frame[0] << 24) | (frame[1] << 16) | (frame[2] << 8) | frame[3]);

        Assert.True(ShimFraming.TryDecodeSafe([.. frame, 1, 2], out int consumed, out ShimRequest? request));
        Assert.Equal(frame.Length, consumed);
        Assert.Equal((ShimRequest.Kill, 9, true, "e1"), (request!.Op, request.Signal, request.All, request.ExecId));
    }

    [Fact]
    public void A_partial_frame_waits_for_more()
    {
        byte[] frame = ShimFraming.Encode(new ShimRequest { Op = ShimRequest.State }, ShimJsonContext.Default.ShimRequest);
        Assert.False(ShimFraming.TryDecodeSafe(frame.AsSpan(0, 3), out _, out _));
        Assert.False(ShimFraming.TryDecodeSafe(frame.AsSpan(0, frame.Length - 1), out _, out _));
    }

    [Fact]
    public void Malformed_json_or_a_huge_length_is_reported_as_a_bad_request()
    {
        Assert.True(ShimFraming.TryDecodeSafe([0, 0, 0, 3, (byte)'{', (byte)'x', (byte)'}'], out int consumed, out ShimRequest? request));
        Assert.Null(request);
        Assert.Equal(7, consumed);

        Assert.True(ShimFraming.TryDecodeSafe([0x7f, 0, 0, 0, 0], out _, out request));
        Assert.Null(request);
    }

    [Fact]
    public async Task A_response_with_an_error_carries_its_kind()
    {
        byte[] frame = ShimFraming.Encode(ShimResponse.Failure(Errors.NotFound("No such exec instance: x")));
        using var stream = new MemoryStream([.. frame, 42]);
        ShimResponse response = await ShimFraming.ReadAsync(stream, ShimJsonContext.Default.ShimResponse, TestContext.Current.CancellationToken);
        Assert.Equal((ErrorKind.NotFound, "No such exec instance: x"), (response.ErrorKind, response.Error));
        Assert.Equal(42, stream.ReadByte()); // nothing read past the frame: an attach stream may follow
    }

    [Fact]
    public void Stream_frame_header_is_dockers()
    {
        byte[] header = new byte[StreamFrame.HeaderLength];
        StreamFrame.WriteHeader(header, StreamFrame.Stderr, 0x01020304);
        Assert.Equal([2, 0, 0, 0, 1, 2, 3, 4], header);
        Assert.True(StreamFrame.TryReadHeader(header, out byte stream, out int length));
        Assert.Equal((StreamFrame.Stderr, 0x01020304), (stream, length));
    }

    [Fact]
    public void Shim_arguments_name_every_option()
    {
        var options = new ShimOptions
        {
            Id = "c1", Bundle = "/b", StateDirectory = "/run/s", LogPath = "/l.log", OpenStdin = true, LogMaxFiles = 5, SeccompCacheDirectory = "/run/sc",
        };
        Assert.Equal(
            ["shim", "--id", "c1", "--bundle", "/b", "--state-dir", "/run/s", "--runtime-root", "/run/berth-runtime", "--log-max-size", "10485760",
             "--log-max-file", "5", "--log-path", "/l.log", "--seccomp-cache", "/run/sc", "--stdin"],
            ShimClient.Arguments(options));
    }
}
