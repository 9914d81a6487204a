using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Berth.Daemon.Backends;

namespace Berth.Daemon.Containers;

/// <summary>
/// Reads a container's json-file log as the shim writes it (FILE, rotated to FILE.1 … FILE.N, oldest last), with
/// Docker's filters: streams, since/until, tail; and follow, which keeps reading the current file (reopening it after
/// a rotation) until the container stops and everything written is delivered.
/// </summary>
internal static class JsonLogReader
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(100);

    public static async IAsyncEnumerable<LogEntry> ReadAsync(
        string path, LogsOptions options, Func<bool> isRunning, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(isRunning);
        List<string> files = RotatedFiles(path);
        List<LogEntry> backlog = [];
        long offsetInCurrent = 0;
        foreach (string file in files)
        {
            long end = ReadFile(file, 0, backlog, options);
            if (file == path)
                offsetInCurrent = end;
        }
        IEnumerable<LogEntry> history = options.Tail is int tail and >= 0 ? backlog.Skip(Math.Max(0, backlog.Count - tail)) : backlog;
        foreach (LogEntry entry in history)
            yield return entry;
        if (!options.Follow)
            yield break;

        long? inode = Inode(path);
        while (!cancellationToken.IsCancellationRequested)
        {
            bool wasRunning = isRunning();
            List<LogEntry> fresh = [];
            long? currentInode = Inode(path);
            if (currentInode != inode)
            {
                // Rotated: finish the old file (now FILE.1) and start the new one from its beginning.
                if (inode is not null && File.Exists(path + ".1") && Inode(path + ".1") == inode)
                    ReadFile(path + ".1", offsetInCurrent, fresh, options);
                inode = currentInode;
                offsetInCurrent = 0;
            }
            if (File.Exists(path))
                offsetInCurrent = ReadFile(path, offsetInCurrent, fresh, options);
            foreach (LogEntry entry in fresh)
            {
                if (options.Until is { } until && entry.Time > until)
                    yield break;
                yield return entry;
            }
            if (!wasRunning)
                yield break;
            if (fresh.Count == 0)
            {
                try
                {
                    await Task.Delay(FollowPoll, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }
    }

    private static List<string> RotatedFiles(string path)
    {
        List<string> files = [];
        for (int i = 1; File.Exists($"{path}.{i}"); i++)
            files.Insert(0, $"{path}.{i}");
        if (File.Exists(path))
            files.Add(path);
        return files;
    }

    /// <summary>Appends the complete records from <paramref name="offset"/> on and returns where the next read starts
    /// (a record still being written stays for the next read).</summary>
    private static long ReadFile(string file, long offset, List<LogEntry> into, LogsOptions options)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return offset;
        }
        using (stream)
        {
            if (stream.Length < offset)
                offset = 0;
            stream.Position = offset;
            byte[] data = new byte[stream.Length - offset];
            int total = 0;
            while (total < data.Length)
            {
                int read = stream.Read(data, total, data.Length - total);
                if (read == 0)
                    break;
                total += read;
            }
            int start = 0;
            while (start < total)
            {
                int newline = Array.IndexOf(data, (byte)'\n', start, total - start);
                if (newline < 0)
                    break;
                if (Parse(data.AsSpan(start, newline - start)) is { } entry && Wanted(entry, options))
                    into.Add(entry);
                start = newline + 1;
            }
            return offset + start;
        }
    }

    private static bool Wanted(LogEntry entry, LogsOptions options) =>
        (entry.Stream == 1 ? options.Stdout : options.Stderr)
        && (options.Since is not { } since || entry.Time >= since)
        && (options.Until is not { } until || entry.Time <= until);

    private static LogEntry? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            string? log = null, stream = null;
            DateTimeOffset time = default;
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                    continue;
                string name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "log": log = reader.GetString(); break;
                    case "stream": stream = reader.GetString(); break;
                    case "time": time = reader.GetDateTimeOffset(); break;
                }
            }
            return log is null ? null : new LogEntry(stream == "stderr" ? (byte)2 : (byte)1, time, Encoding.UTF8.GetBytes(log));
        }
        catch (JsonException)
        {
            // A torn record (the shim killed mid-write) is skipped, as Docker's reader does.
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static long? Inode(string path)
    {
        try
        {
            return File.Exists(path) ? (long)Berth.Linux.FileSystemOps.Stat(path).Inode : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
