namespace Berth.Daemon.Backends;

/// <summary>Archive PUT: refuse to replace a directory by a non-directory (and vice versa); keep the tar's UID/GID.</summary>
internal sealed record PutArchiveOptions(bool NoOverwriteDirNonDir, bool CopyUidGid);
