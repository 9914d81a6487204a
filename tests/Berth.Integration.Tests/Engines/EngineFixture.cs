using Berth.Testing;
using Berth.Testing.Engines;

namespace Berth.Integration.Tests.Engines;

/// <summary>
/// What an engine test class shares: a local registry holding the busybox image, a podman environment and a dockerd
/// (with <c>--add-runtime berth=…</c> when BERTH_RUNTIME is set). Each is started on first use — after the test's
/// <c>Requires</c> checks, so an unprivileged run skips instead of failing here — and disposed with the class.
/// </summary>
public sealed class EngineFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LocalRegistry? _registry;
    private BusyboxImage? _image;
    private PodmanEnvironment? _podman;
    private DockerdEnvironment? _dockerd;

    public async Task<BusyboxImage> ImageAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return await ImageLockedAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<PodmanEnvironment> PodmanAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await ImageLockedAsync();
            return _podman ??= await PodmanEnvironment.CreateAsync(_registry!);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>dockerd; its extra runtime <c>berth</c> (a <see cref="LoggedRuntime"/> around BERTH_RUNTIME) when that is set.</summary>
    public async Task<DockerdEnvironment> DockerdAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await ImageLockedAsync();
            if (_dockerd is null)
            {
                var runtimes = new Dictionary<string, string>();
                if (RuntimeRunner.RuntimeUnderTestPath is { } berth)
                {
                    runtimes["berth"] = berth;
                }

                _dockerd = await DockerdEnvironment.StartAsync(_registry!, runtimes);
            }

            return _dockerd;
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_dockerd is not null)
        {
            await _dockerd.DisposeAsync();
        }

        if (_podman is not null)
        {
            await _podman.DisposeAsync();
        }

        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }

        _gate.Dispose();
    }

    private async Task<BusyboxImage> ImageLockedAsync()
    {
        _registry ??= await LocalRegistry.StartAsync();
        return _image ??= await BusyboxImage.PushAsync(_registry);
    }
}
