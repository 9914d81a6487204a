using Berth.Client;

namespace Berth.Cli.Terminal;

/// <summary>Moves bytes between our stdio and a hijacked attach/exec connection, as docker's holdHijackedConnection does.</summary>
internal static class StreamPump
{
    /// <returns>True when the user typed the detach keys.</returns>
    public static async Task<bool> RunAsync(CliContext cli, HijackedConnection connection, bool tty, bool attachStdin, DetachKeys? detachKeys, CancellationToken cancellationToken)
    {
        Stream stdout = cli.OpenStdout();
        Task output = tty
            ? CopyAsync(connection.Output, stdout, cancellationToken)
            : MultiplexedStream.CopyAsync(connection.Output, stdout, cli.OpenStderr(), cancellationToken);
        if (!attachStdin)
        {
            // Nothing to send: say so at once, as docker's CLI does, so the daemon ends the stream with the output.
            connection.CloseWrite();
            await output;
            return false;
        }

        Task<bool> input = Task.Run(() => CopyStdinAsync(cli.OpenStdin(), connection, detachKeys, cancellationToken), cancellationToken);
        Task first = await Task.WhenAny(output, input);
        if (first == input && await input)
        {
            return true;
        }

        await output;
        return false;
    }

    private static async Task CopyAsync(Stream source, Stream target, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[32 * 1024];
        int n;
        while ((n = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await target.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            await target.FlushAsync(cancellationToken);
        }
    }

    private static async Task<bool> CopyStdinAsync(Stream stdin, HijackedConnection connection, DetachKeys? detachKeys, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[4096];
        byte[] forward = new byte[buffer.Length + 16];
        try
        {
            int n;
            while ((n = await stdin.ReadAsync(buffer, cancellationToken)) > 0)
            {
                (int count, bool detach) = detachKeys is null ? (n, false) : detachKeys.Filter(buffer.AsSpan(0, n), forward);
                if (detachKeys is null)
                {
                    buffer.AsSpan(0, n).CopyTo(forward);
                }

                await connection.Input.WriteAsync(forward.AsMemory(0, count), cancellationToken);
                if (detach)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            // The container side closed; output decides how the session ends.
        }

        connection.CloseWrite();
        return false;
    }
}
