namespace Berth.Runtime.Shim;

/// <summary>What one shim runs: the <c>berth-runtime shim</c> flags.</summary>
public sealed record ShimOptions
{
    /// <summary>The container id (also its id in the runtime's state root).</summary>
    public required string Id { get; init; }

    public required string Bundle { get; init; }

    /// <summary>The shim's own directory: shim.sock, exit.json, shim.log. Removed on delete.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>The runtime's state root (runc's --root).</summary>
    public string RuntimeRoot { get; init; } = State.StateStore.DefaultRoot;

    /// <summary>Where the runtime keeps compiled seccomp programs for the next container (its launcher's); null: none.</summary>
    public string? SeccompCacheDirectory { get; init; }

    /// <summary>The container's json-file log; null: output is only streamed to attached clients.</summary>
    public string? LogPath { get; init; }

    /// <summary>Rotate the log at this size in bytes; 0 or less: never.</summary>
    public long LogMaxSize { get; init; } = DefaultLogMaxSize;

    public int LogMaxFiles { get; init; } = DefaultLogMaxFiles;

    /// <summary>Give the container a stdin pipe (Docker's OpenStdin); otherwise its stdin is /dev/null. A tty always has one.</summary>
    public bool OpenStdin { get; init; }

    /// <summary>
    /// The bundle's process.terminal when the launcher knows it (the daemon wrote the config): the shim then needs no
    /// parse of config.json of its own before the runtime's. Null: read from the bundle. A value the config disagrees
    /// with fails the launch (the runtime's create checks the stdio it is handed; the shim checks it got a console).
    /// </summary>
    public bool? Terminal { get; init; }

    /// <summary>Docker's json-file defaults as Berth turns rotation on: 10 MiB × 3 files.</summary>
    public const long DefaultLogMaxSize = JsonFileLog.DefaultMaxSize;

    public const int DefaultLogMaxFiles = JsonFileLog.DefaultMaxFiles;

    public const string SocketName = "shim.sock", ExitFileName = "exit.json", LogFileName = "shim.log";
}
