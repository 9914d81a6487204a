using Berth.Daemon.Events;

namespace Berth.Daemon.Backends;

/// <summary>The services the routers call, and the event bus they publish to (created first, handed to each service).</summary>
internal sealed record DaemonBackends(
    IContainerBackend Containers,
    IExecBackend Exec,
    IImageBackend Images,
    ISystemBackend System,
    EventBus Events);
