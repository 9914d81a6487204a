namespace Berth.Core.Images;

/// <summary>One line of <c>docker rmi</c>'s answer: exactly one of the two is set.</summary>
public sealed record ImageRemoval(string? Untagged, string? Deleted);
