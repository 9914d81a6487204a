using Berth.Core.Content;
using Berth.Core.Images;
using Berth.Core.Snapshots;
using Berth.Daemon.Backends;
using Berth.Daemon.Configuration;
using Berth.Daemon.Containers;
using Berth.Daemon.Events;
using Berth.Images.Store;
using Berth.Storage.Content;
using Berth.Storage.Snapshots;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Composition;

/// <summary>
/// The composition root of the engine's services on disk (ARCHITECTURE §4): content store, snapshotter (overlay,
/// or the native copy one where overlay cannot mount), image store, container service, and the backends the routers
/// call. Startup reconciles: containers are restored from their records and shims.
/// </summary>
internal sealed class EngineServices : IAsyncDisposable
{
    private readonly ImageBackend _images;

    private EngineServices(ContainerService containers, ImageBackend images, DaemonBackends backends)
    {
        Containers = containers;
        _images = images;
        Backends = backends;
    }

    public ContainerService Containers { get; }

    public DaemonBackends Backends { get; }

    public static async Task<EngineServices> StartAsync(DaemonSettings settings, EventBus events, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Directory.CreateDirectory(settings.DataRoot);
        Directory.CreateDirectory(settings.ExecRoot);
        var usage = new DeferredImageUsage();
        var removals = new BackgroundRemovals();
        ImageBackend images = ImageBackend.Create(settings, events, usage, removals);
        var containers = new ContainerService(images.Images, images.Snapshots, settings, events, RuntimeBinary.Locate(settings.DefaultRuntime), log, removals: removals);
        usage.Target = containers;
        // Reconcile (ARCHITECTURE §4): downloads abandoned long ago go; recent ones stay to be resumed.
        if (images.Content is FileContentStore files)
            await files.CleanupIngestsAsync(TimeSpan.FromHours(24), cancellationToken);
        await containers.RestoreAsync(cancellationToken);

        var backends = new DaemonBackends(
            new ContainerBackend(containers),
            new ExecBackend(containers),
            images,
            new SystemBackend(containers, images.Images, images),
            events);
        return new EngineServices(containers, images, backends);
    }

    public async ValueTask DisposeAsync()
    {
        await Containers.DisposeAsync();
        _images.Dispose();
    }
}
