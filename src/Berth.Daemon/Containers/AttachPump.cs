using System.Buffers.Binary;
using Berth.Daemon.Backends;
using Berth.Runtime.Shim;

namespace Berth.Daemon.Containers;

/// <summary>
/// Joins a client's attach streams to a shim stream: output from the shim (raw with a tty, Docker's 8-byte frames
/// without, which are split back into the client's stdout and stderr writers) and input to it, watching the input
/// for the detach keys. Ends when the output ends (the process exited), on detach, or when the client goes.
/// </summary>
internal static class AttachPump
{
    /// <returns>True when the client detached with the detach keys.</returns>
    public static async Task<bool> RunAsync(ShimStream shim, bool tty, AttachStreams streams, byte[] detachKeys, CancellationToken cancellationToken)
    {
        // Output is not tied to the request's token: a client that half-closes (the docker CLI does as soon as it has
        // no stdin to send) can look aborted to the server while it still reads. A client really gone shows up as a
        // failed write; a detach stops output explicitly.
        using var stopOutput = new CancellationTokenSource();
        Task output = tty ? CopyRawAsync(shim, streams.Stdout, stopOutput.Token) : DemultiplexAsync(shim, streams, stopOutput.Token);
        Task<bool> input = streams.Stdin is null ? Task.FromResult(false) : CopyInputAsync(streams.Stdin, shim, detachKeys, cancellationToken);

        if (await Task.WhenAny(output, input) == input && await SafeResultAsync(input))
        {
            await stopOutput.CancelAsync();
            await IgnoreAsync(output);
            return true;
        }
        // Input ended (client half-closed, or never sent any): deliver output until the process is done.
        await IgnoreAsync(output);
        return false;
    }

    private static async Task CopyRawAsync(Stream source, Stream? destination, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[32 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (destination is not null)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await destination.FlushAsync(cancellationToken);
            }
        }
    }

    private static async Task DemultiplexAsync(Stream source, AttachStreams streams, CancellationToken cancellationToken)
    {
        byte[] header = new byte[8];
        byte[] payload = new byte[32 * 1024];
        while (await ReadFullyAsync(source, header, cancellationToken))
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            Stream? target = header[0] == 2 ? streams.Stderr : streams.Stdout;
            if (payload.Length < length)
                payload = new byte[length];
            if (!await ReadFullyAsync(source, payload.AsMemory(0, length), cancellationToken))
                return;
            if (target is not null)
            {
                await target.WriteAsync(payload.AsMemory(0, length), cancellationToken);
                await target.FlushAsync(cancellationToken);
            }
        }
    }

    /// <returns>True on detach; false when the client's input ended.</returns>
    private static async Task<bool> CopyInputAsync(Stream stdin, ShimStream shim, byte[] detachKeys, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[4096];
        int matched = 0;
        while (true)
        {
            int read = await stdin.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                shim.CompleteWrites();
                return false;
            }
            // Bytes that may start the detach sequence are held back until it is clear they do not.
            var forward = new List<byte>(read + matched);
            for (int i = 0; i < read; i++)
            {
                byte b = buffer[i];
                if (detachKeys.Length > 0 && b == detachKeys[matched])
                {
                    matched++;
                    if (matched == detachKeys.Length)
                        return true;
                    continue;
                }
                if (matched > 0)
                {
                    forward.AddRange(detachKeys.AsSpan(0, matched));
                    matched = 0;
                    if (detachKeys.Length > 0 && b == detachKeys[0])
                    {
                        matched = 1;
                        continue;
                    }
                }
                forward.Add(b);
            }
            if (forward.Count > 0)
                await shim.WriteAsync(forward.ToArray(), cancellationToken);
        }
    }

    private static async Task<bool> ReadFullyAsync(Stream source, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await source.ReadAsync(buffer[total..], cancellationToken);
            if (read == 0)
                return false;
            total += read;
        }
        return true;
    }

    private static async Task<bool> SafeResultAsync(Task<bool> task)
    {
        try
        {
            return await task;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    private static async Task IgnoreAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client or the shim went away: the attach is over either way.
        }
    }
}
