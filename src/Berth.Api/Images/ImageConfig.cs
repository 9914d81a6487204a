using Berth.Api.Containers;

namespace Berth.Api.Images;

/// <summary>An image's run defaults as inspect shows them under <c>Config</c>.</summary>
public sealed record ImageConfig
{
    public string? User { get; init; }

    public IDictionary<string, EmptyObject>? ExposedPorts { get; init; }

    public IReadOnlyList<string>? Env { get; init; }
    public StrSlice? Cmd { get; init; }

    public HealthConfig? Healthcheck { get; init; }

    public bool? ArgsEscaped { get; init; }

    public IDictionary<string, EmptyObject>? Volumes { get; init; }

    public string? WorkingDir { get; init; }
    public StrSlice? Entrypoint { get; init; }

    public IReadOnlyList<string>? OnBuild { get; init; }

    public IDictionary<string, string>? Labels { get; init; }

    public string? StopSignal { get; init; }

    public IReadOnlyList<string>? Shell { get; init; }
}
