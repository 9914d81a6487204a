using Berth.Testing.Engines;

namespace Berth.Integration.Tests.Daemon;

/// <summary>One berthd per test class (class fixture), on the shared registry; started on first use.</summary>
public sealed class BerthdFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private BerthDaemonProcess? _daemon;

    public async Task<BerthDaemonProcess> GetAsync(LocalRegistry registry)
    {
        await _gate.WaitAsync();
        try
        {
            return _daemon ??= await BerthDaemonProcess.StartAsync(registry);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }

        _gate.Dispose();
    }
}
