namespace Berth.Testing.Registry;

/// <summary>One entry of a token's <c>access</c> claim: the actions granted on one resource.</summary>
public sealed record TokenAccess(string Type, string Name, IReadOnlyList<string> Actions);
