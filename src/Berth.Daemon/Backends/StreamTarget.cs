namespace Berth.Daemon.Backends;

/// <summary>A container or exec resolved for streaming: its ID and whether its output is a TTY (raw, unframed).</summary>
internal sealed record StreamTarget(string Id, bool Tty);
