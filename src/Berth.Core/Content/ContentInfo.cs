namespace Berth.Core.Content;

/// <summary>What the store knows about a committed blob.</summary>
public sealed record ContentInfo(Digest Digest, long Size, DateTimeOffset CommittedAt);
