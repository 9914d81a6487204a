namespace Berth.Api.Containers;

/// <summary>A port as <c>docker ps</c> lists it; PublicPort and IP only when published.</summary>
public sealed record PortSummary
{
    public string? IP { get; init; }

    public int PrivatePort { get; init; }

    public int? PublicPort { get; init; }

    /// <summary>"tcp", "udp" or "sctp".</summary>
    public string Type { get; init; } = "tcp";
}
