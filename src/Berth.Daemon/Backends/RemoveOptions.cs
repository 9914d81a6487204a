namespace Berth.Daemon.Backends;

/// <summary><c>DELETE /containers/{id}</c>: Force kills a running one; Volumes removes its anonymous volumes.</summary>
internal sealed record RemoveOptions(bool Force, bool Volumes, bool Link);
