using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Daemon.Http;

/// <summary>
/// Exec start sends a JSON body <em>and</em> asks for an upgrade (<c>Connection: Upgrade</c>, <c>Upgrade: tcp</c>).
/// Kestrel only offers the upgrade for requests without a body, so this connection middleware, in front of the HTTP
/// parser, moves such a request's <c>Content-Length</c> to <see cref="HeaderName"/>: Kestrel then sees a bodiless
/// upgrade request, and the body bytes stay first on the connection, where <see cref="ReadJsonAsync"/> reads exactly
/// that many before the switch. Other requests pass unchanged; after an upgrade or a chunked body the rest of the
/// connection is copied as it is.
/// </summary>
internal static class UpgradeBody
{
    public const string HeaderName = "X-Berth-Upgrade-Content-Length";
    private const int MaxHeadSize = 64 * 1024;
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    public static ConnectionDelegate ConnectionMiddleware(ConnectionDelegate next) => async connection =>
    {
        IDuplexPipe original = connection.Transport;
        var rewritten = new Pipe(new PipeOptions(useSynchronizationContext: false));
        using var closed = new CancellationTokenSource();
        var state = new PumpState(closed);
        Task pump = PumpAsync(original.Input, rewritten.Writer, state);
        try
        {
            await next(new HalfClosableConnection(connection, new DuplexPipe(rewritten.Reader, original.Output), closed.Token));
        }
        finally
        {
            // Kestrel is done with the connection (Connection: close, an error, the end of an upgrade): stop waiting
            // for client bytes nobody will read, so the socket closes now. A client reading a body without a length
            // (a 204 to Docker.DotNet) waits for that close.
            await rewritten.Reader.CompleteAsync();
            original.Input.CancelPendingRead();
            await pump;
        }
    };

    private static async Task PumpAsync(PipeReader input, PipeWriter output, PumpState state)
    {
        Exception? failure = null;
        try
        {
            long bodyRemaining = 0;
            bool passthrough = false;
            while (true)
            {
                ReadResult result = await input.ReadAsync();
                if (result.IsCanceled)
                {
                    input.AdvanceTo(result.Buffer.Start);
                    break;
                }

                ReadOnlySequence<byte> buffer = result.Buffer;
                while (!buffer.IsEmpty)
                {
                    if (passthrough || bodyRemaining > 0)
                    {
                        long take = passthrough ? buffer.Length : Math.Min(bodyRemaining, buffer.Length);
                        foreach (ReadOnlyMemory<byte> segment in buffer.Slice(0, take))
                        {
                            await output.WriteAsync(segment);
                        }

                        bodyRemaining -= passthrough ? 0 : take;
                        buffer = buffer.Slice(take);
                        continue;
                    }

                    SequencePosition? end = FindEndOfHead(buffer);
                    if (end is null)
                    {
                        passthrough = buffer.Length > MaxHeadSize;
                        break;
                    }

                    ReadOnlySequence<byte> head = buffer.Slice(0, end.Value);
                    (byte[] bytes, long body, bool thenPassthrough, bool upgrade) = Rewrite(head.ToArray());
                    await output.WriteAsync(bytes);
                    bodyRemaining = body;
                    passthrough = thenPassthrough;
                    state.Upgrade |= upgrade;
                    buffer = buffer.Slice(end.Value);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                FlushResult flush = await output.FlushAsync();
                if (result.IsCompleted || flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        await input.CompleteAsync(failure);
        await output.CompleteAsync(failure);

        // Kestrel aborts a request when the client's side of the connection ends. For an upgraded attach/exec that
        // end is only the client closing stdin (a half-close): the handler sees EOF on reads and keeps writing
        // output. Every other connection is closed for good, so tell Kestrel.
        if (!state.Upgrade || failure is not null)
        {
            await state.Closed.CancelAsync();
        }
    }

    private static SequencePosition? FindEndOfHead(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, EndOfHead, advancePastDelimiter: true) ? reader.Position : null;
    }

    /// <summary>Returns the head to forward, how many body bytes follow it, and whether to stop parsing after it.</summary>
    internal static (byte[] Head, long Body, bool Passthrough, bool Upgrade) Rewrite(byte[] head)
    {
        string text = Encoding.Latin1.GetString(head);
        string[] lines = text.Split("\r\n");
        bool upgrade = false;
        bool chunked = false;
        long length = 0;
        int lengthLine = -1;
        for (int i = 1; i < lines.Length; i++)
        {
            int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            string name = lines[i][..colon].Trim();
            string value = lines[i][(colon + 1)..].Trim();
            if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
                && value.Split(',').Any(t => t.Trim().Equals("upgrade", StringComparison.OrdinalIgnoreCase)))
            {
                upgrade = true;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = true;
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
            {
                length = parsed;
                lengthLine = i;
            }
        }

        if (chunked)
        {
            return (head, 0, true, upgrade);
        }

        if (upgrade && length > 0 && lengthLine > 0)
        {
            lines[lengthLine] = $"{HeaderName}: {length}";
            return (Encoding.Latin1.GetBytes(string.Join("\r\n", lines)), 0, true, true);
        }

        // An upgrade request without a body: whatever follows belongs to the upgraded stream.
        return (head, length, upgrade, upgrade);
    }

    /// <summary>The body length the middleware moved behind an upgrade, or null if it moved nothing.</summary>
    public static long? MovedLength(ApiRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? moved = request.Context.Request.Headers[HeaderName];
        if (moved is null)
        {
            return null;
        }

        return long.TryParse(moved, NumberStyles.None, CultureInfo.InvariantCulture, out long length) && length <= 1 << 20
            ? length
            : throw Core.Errors.Errors.InvalidArgument("request body too large");
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes of JSON from the start of an upgraded stream.</summary>
    public static async Task<T?> ReadJsonAsync<T>(Stream upgraded, long length, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(upgraded);
        byte[] buffer = new byte[length];
        await upgraded.ReadExactlyAsync(buffer, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(buffer, typeInfo);
        }
        catch (JsonException ex)
        {
            throw RequestErrors.InvalidJson(ex.Message);
        }
    }

    private sealed class PumpState(CancellationTokenSource closed)
    {
        public CancellationTokenSource Closed { get; } = closed;

        public bool Upgrade { get; set; }
    }

    /// <summary>The connection as Kestrel's HTTP layer sees it: our rewritten input, and our notion of "closed".</summary>
    private sealed class HalfClosableConnection(ConnectionContext inner, IDuplexPipe transport, CancellationToken closed) : ConnectionContext
    {
        public override string ConnectionId { get => inner.ConnectionId; set => inner.ConnectionId = value; }

        public override IFeatureCollection Features => inner.Features;

        public override IDictionary<object, object?> Items { get => inner.Items; set => inner.Items = value; }

        public override IDuplexPipe Transport { get; set; } = transport;

        public override CancellationToken ConnectionClosed { get; set; } = closed;

        public override EndPoint? LocalEndPoint { get => inner.LocalEndPoint; set => inner.LocalEndPoint = value; }

        public override EndPoint? RemoteEndPoint { get => inner.RemoteEndPoint; set => inner.RemoteEndPoint = value; }

        public override void Abort(ConnectionAbortedException abortReason) => inner.Abort(abortReason);

        public override void Abort() => inner.Abort();
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
