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
    private EngineServices(ContainerService containers, DaemonBackends backends, string snapshotterName)
    {
        Containers = containers;
        Backends = backends;
        SnapshotterName = snapshotterName;
    }

    public ContainerService Containers { get; }

    public DaemonBackends Backends { get; }

    public string SnapshotterName { get; }

    public static async Task<EngineServices> StartAsync(
        DaemonSettings settings, EventBus events, ILogger log, Func<EngineParts, IImageBackend> imageBackend, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(imageBackend);
        Directory.CreateDirectory(settings.DataRoot);
        Directory.CreateDirectory(settings.ExecRoot);
        var content = new FileContentStore(Path.Combine(settings.DataRoot, "content"));
        bool overlay = OverlaySnapshotter.IsSupported(settings.DataRoot);
        ISnapshotter snapshots = overlay ? new OverlaySnapshotter(settings.DataRoot) : new NativeSnapshotter(settings.DataRoot);
        if (!overlay)
            log.LogWarning("overlayfs is not available under {DataRoot}: using the native (copying) snapshotter", settings.DataRoot);

        var usage = new DeferredImageUsage();
        var images = new ImageStore(Path.Combine(settings.DataRoot, "metadata", "images"), usage);
        var containers = new ContainerService(images, snapshots, settings, events, RuntimeBinary.Locate(settings.DefaultRuntime), log);
        usage.Target = containers;
        await containers.RestoreAsync(cancellationToken);

        IImageBackend imageService = imageBackend(new EngineParts(settings, content, snapshots, images, events));
        var backends = new DaemonBackends(
            new ContainerBackend(containers),
            new ExecBackend(containers),
            imageService,
            new SystemBackend(containers, images, imageService),
            events);
        return new EngineServices(containers, backends, overlay ? "overlay2" : "native");
    }

    public ValueTask DisposeAsync() => Containers.DisposeAsync();
}
