namespace Berth.Testing.Snapshots;

/// <summary>One path of a <see cref="TreeSnapshot"/>; compared as a value, printed as one line.</summary>
public sealed record TreeEntry(
    string Type, string Mode, int Uid, int Gid, string Device, string LinkTarget, string Sha256, string Xattrs, long MtimeSeconds, string HardlinkOf);
