namespace Berth.Api.Containers;

/// <summary>The answer to <c>POST /containers/create</c> (201).</summary>
public sealed record ContainerCreateResponse
{
    public string Id { get; init; } = "";

    public IReadOnlyList<string> Warnings { get; init; } = [];
}
