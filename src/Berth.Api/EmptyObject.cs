namespace Berth.Api;

/// <summary>The <c>{}</c> Docker uses as a set member (<c>ExposedPorts</c>, <c>Volumes</c>).</summary>
public sealed record EmptyObject
{
    public static EmptyObject Instance { get; } = new();
}
