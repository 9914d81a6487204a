namespace Berth.Daemon.Http;

/// <summary>
/// The raw byte stream of an attach or exec start after the switch: reads return the client's stdin (0 once it
/// half-closes its side), writes go to the client.
/// </summary>
internal sealed class HijackedConnection(Stream input, Stream output, bool upgraded, HttpContext? context = null) : IAsyncDisposable
{
    public Stream Input { get; } = input;

    public Stream Output { get; } = output;

    /// <summary>True for the 101 upgrade; false for the older 200 + raw stream.</summary>
    public bool Upgraded { get; } = upgraded;

    public async ValueTask DisposeAsync()
    {
        await Output.FlushAsync();
        if (Upgraded)
        {
            await Output.DisposeAsync();
            if (context is not null && !await ClientHalfClosedAsync())
            {
                // The stream is over when the process's output is. A client that half-closed sees the end now; one
                // that keeps its side open (a terminal on exec -it) would wait forever, so the connection is closed
                // for it, as dockerd does — after a moment, so the output just flushed is not cut off.
                await Task.Delay(TimeSpan.FromMilliseconds(100));
                context.Abort();
            }
        }
    }

    /// <summary>True when the client's side has ended (a read returns 0 at once): Kestrel then closes by itself.</summary>
    private async Task<bool> ClientHalfClosedAsync()
    {
        try
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            return await Input.ReadAsync(new byte[1], wait.Token) == 0;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            return false;
        }
    }
}
