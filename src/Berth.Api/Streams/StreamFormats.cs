namespace Berth.Api.Streams;

/// <summary>Content types and framing constants of Docker's streamed bodies.</summary>
public static class StreamFormats
{
    /// <summary>Attach/exec/logs without a TTY: 8-byte headers <c>[stream, 0, 0, 0, size (big-endian uint32)]</c>.</summary>
    public const string Multiplexed = "application/vnd.docker.multiplexed-stream";

    /// <summary>Attach/exec with a TTY: the pty's bytes as they are.</summary>
    public const string Raw = "application/vnd.docker.raw-stream";

    public const string JsonLines = "application/json";

    public const int FrameHeaderSize = 8;

    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;

    /// <summary>The stream id Docker uses in-band for "the stream ended with an error" (API 1.42+ logs).</summary>
    public const byte SystemErr = 3;
}
