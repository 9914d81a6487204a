namespace Berth.Linux;

/// <summary>One rlimit: RLIMIT_* number with soft and hard values (ulong.MaxValue = unlimited).</summary>
public readonly record struct ResourceLimit(int Resource, ulong Soft, ulong Hard);
