using Berth.Testing.Engines;

namespace Berth.Testing.Registry;

/// <summary>
/// One <see cref="LocalRegistry"/> with a pushed <see cref="BusyboxImage"/> shared by a test class, started on first
/// use (after the test's requirements passed) and stopped on dispose.
/// </summary>
public sealed class LocalRegistryFixture : IAsyncDisposable
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
