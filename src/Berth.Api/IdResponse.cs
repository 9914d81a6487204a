namespace Berth.Api;

/// <summary><c>{"Id": "..."}</c>, the answer to exec create (and similar calls).</summary>
public sealed record IdResponse
{
    public string Id { get; init; } = "";
}
