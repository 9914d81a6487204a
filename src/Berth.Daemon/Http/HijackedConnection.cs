namespace Berth.Daemon.Http;

/// <summary>
/// The raw byte stream of an attach or exec start after the switch: reads return the client's stdin (0 once it
/// half-closes its side), writes go to the client.
/// </summary>
internal sealed class HijackedConnection(Stream input, Stream output, bool upgraded) : IAsyncDisposable
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
        }
    }
}
