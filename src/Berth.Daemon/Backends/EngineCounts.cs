namespace Berth.Daemon.Backends;

/// <summary>Object counts for <c>docker info</c>.</summary>
internal sealed record EngineCounts(int Containers, int Running, int Paused, int Stopped, int Images);
