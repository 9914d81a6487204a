namespace Berth.Api.Containers;

/// <summary>The portable part of a container's configuration (<c>Config</c> in create and inspect).</summary>
public sealed record ContainerConfig
{
    public string? Hostname { get; init; }

    public string? Domainname { get; init; }

    public string? User { get; init; }

    public bool AttachStdin { get; init; }

    public bool AttachStdout { get; init; }

    public bool AttachStderr { get; init; }

    public IDictionary<string, EmptyObject>? ExposedPorts { get; init; }

    public bool Tty { get; init; }

    public bool OpenStdin { get; init; }

    public bool StdinOnce { get; init; }

    public IReadOnlyList<string>? Env { get; init; }
    public StrSlice? Cmd { get; init; }

    public HealthConfig? Healthcheck { get; init; }

    public bool? ArgsEscaped { get; init; }

    public string? Image { get; init; }

    public IDictionary<string, EmptyObject>? Volumes { get; init; }

    public string? WorkingDir { get; init; }
    public StrSlice? Entrypoint { get; init; }

    public bool? NetworkDisabled { get; init; }

    public IReadOnlyList<string>? OnBuild { get; init; }

    public IDictionary<string, string>? Labels { get; init; }

    public string? StopSignal { get; init; }

    public int? StopTimeout { get; init; }

    public IReadOnlyList<string>? Shell { get; init; }
}
