namespace Berth.Daemon.Backends;

/// <summary>One log record: stream 1 = stdout, 2 = stderr; Line includes its newline when it had one.</summary>
internal sealed record LogEntry(byte Stream, DateTimeOffset Time, ReadOnlyMemory<byte> Line);
