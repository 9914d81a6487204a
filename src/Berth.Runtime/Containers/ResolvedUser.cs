namespace Berth.Runtime.Containers;

/// <summary>The numeric identity a container process runs as, after looking the user up in the image.</summary>
public sealed record ResolvedUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string Home);
