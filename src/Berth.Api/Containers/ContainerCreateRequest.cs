namespace Berth.Api.Containers;

/// <summary>
/// The body of <c>POST /containers/create</c>: Docker sends the <see cref="ContainerConfig"/> fields at the top level
/// with <c>HostConfig</c> and <c>NetworkingConfig</c> beside them.
/// </summary>
public sealed record ContainerCreateRequest
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

    public HostConfig? HostConfig { get; init; }

    public NetworkingConfig? NetworkingConfig { get; init; }

    /// <summary>The container fields alone, as inspect reports them under <c>Config</c>.</summary>
    public ContainerConfig ToConfig() => new()
    {
        Hostname = Hostname, Domainname = Domainname, User = User,
        AttachStdin = AttachStdin, AttachStdout = AttachStdout, AttachStderr = AttachStderr,
        ExposedPorts = ExposedPorts, Tty = Tty, OpenStdin = OpenStdin, StdinOnce = StdinOnce, Env = Env, Cmd = Cmd,
        Healthcheck = Healthcheck, ArgsEscaped = ArgsEscaped, Image = Image, Volumes = Volumes, WorkingDir = WorkingDir,
        Entrypoint = Entrypoint, NetworkDisabled = NetworkDisabled, OnBuild = OnBuild, Labels = Labels,
        StopSignal = StopSignal, StopTimeout = StopTimeout, Shell = Shell,
    };

    /// <summary>A create body from separate parts, as a client builds it.</summary>
    public static ContainerCreateRequest From(ContainerConfig config, HostConfig? hostConfig, NetworkingConfig? networkingConfig)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new()
        {
            Hostname = config.Hostname, Domainname = config.Domainname, User = config.User,
            AttachStdin = config.AttachStdin, AttachStdout = config.AttachStdout, AttachStderr = config.AttachStderr,
            ExposedPorts = config.ExposedPorts, Tty = config.Tty, OpenStdin = config.OpenStdin, StdinOnce = config.StdinOnce,
            Env = config.Env, Cmd = config.Cmd, Healthcheck = config.Healthcheck, ArgsEscaped = config.ArgsEscaped,
            Image = config.Image, Volumes = config.Volumes, WorkingDir = config.WorkingDir, Entrypoint = config.Entrypoint,
            NetworkDisabled = config.NetworkDisabled, OnBuild = config.OnBuild, Labels = config.Labels,
            StopSignal = config.StopSignal, StopTimeout = config.StopTimeout, Shell = config.Shell,
            HostConfig = hostConfig, NetworkingConfig = networkingConfig,
        };
    }
}
