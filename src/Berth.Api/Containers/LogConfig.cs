namespace Berth.Api.Containers;

/// <summary>The log driver and its options (<c>{"Type":"json-file","Config":{"max-size":"10m"}}</c>).</summary>
public sealed record LogConfig
{
    public string Type { get; init; } = "";

    public IDictionary<string, string>? Config { get; init; }
}
