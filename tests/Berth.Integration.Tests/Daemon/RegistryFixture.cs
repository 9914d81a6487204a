using Berth.Testing.Engines;

namespace Berth.Integration.Tests.Daemon;

/// <summary>
/// One local registry with the busybox image, shared by every berthd test class of the assembly (pushed once).
/// Started on first use, after the test's <c>Requires</c> checks, so an unprivileged run skips instead of failing here.
/// </summary>
public sealed class RegistryFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LocalRegistry? _registry;
    private BusyboxImage? _image;

    public async Task<(LocalRegistry Registry, BusyboxImage Image)> GetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _registry ??= await LocalRegistry.StartAsync();
            _image ??= await BusyboxImage.PushAsync(_registry);
            return (_registry, _image);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }

        _gate.Dispose();
    }
}
