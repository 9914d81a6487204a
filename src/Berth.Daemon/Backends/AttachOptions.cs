namespace Berth.Daemon.Backends;

/// <summary>
/// <c>POST /containers/{id}/attach</c>: Logs replays the log first; Stream follows live output; DetachKeys is Docker's
/// key spec ("ctrl-p,ctrl-q" by default).
/// </summary>
internal sealed record AttachOptions(bool Stream, bool Logs, bool Stdin, bool Stdout, bool Stderr, string? DetachKeys);
