namespace Berth.Runtime.Containers;

/// <summary>One --ulimit: Docker's short name ("nofile", "nproc") and its soft and hard values.</summary>
public sealed record UlimitOption(string Name, long Soft, long Hard);
