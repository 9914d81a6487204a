namespace Berth.Api.Engine;

/// <summary>Registry settings: insecure registries as CIDRs and per-registry index configs.</summary>
public sealed record RegistryServiceConfig
{
    public IReadOnlyList<string> InsecureRegistryCIDRs { get; init; } = [];

    public IDictionary<string, IndexInfo> IndexConfigs { get; init; } = new Dictionary<string, IndexInfo>();

    public IReadOnlyList<string> Mirrors { get; init; } = [];
}
