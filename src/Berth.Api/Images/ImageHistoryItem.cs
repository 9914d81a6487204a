namespace Berth.Api.Images;

/// <summary>One layer of <c>GET /images/{name}/history</c>, newest first; Id is "&lt;missing&gt;" for non-image layers.</summary>
public sealed record ImageHistoryItem
{
    public string Id { get; init; } = "";

    public long Created { get; init; }

    public string CreatedBy { get; init; } = "";

    public IReadOnlyList<string>? Tags { get; init; }

    public long Size { get; init; }

    public string Comment { get; init; } = "";
}
