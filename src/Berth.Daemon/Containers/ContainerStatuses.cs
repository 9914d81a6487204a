namespace Berth.Daemon.Containers;

/// <summary>Docker's State.Status values.</summary>
internal static class ContainerStatuses
{
    public const string Created = "created", Running = "running", Paused = "paused", Restarting = "restarting",
        Removing = "removing", Exited = "exited", Dead = "dead";
}
