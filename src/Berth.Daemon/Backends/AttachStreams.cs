namespace Berth.Daemon.Backends;

/// <summary>
/// The client's side of an attach or exec: null members were not asked for. With a TTY, Stdout is the raw stream and
/// Stderr is null; without, Stdout and Stderr write multiplexed frames.
/// </summary>
internal sealed record AttachStreams(Stream? Stdin, Stream? Stdout, Stream? Stderr);
