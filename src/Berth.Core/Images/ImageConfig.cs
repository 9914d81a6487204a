namespace Berth.Core.Images;

/// <summary>How a container of the image runs by default (the image config's <c>config</c> object).</summary>
public sealed record ImageConfig
{
    public string? User { get; init; }

    /// <summary><c>port/proto</c> keys, such as <c>80/tcp</c>.</summary>
    public IReadOnlyList<string>? ExposedPorts { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>Container paths that get anonymous volumes.</summary>
    public IReadOnlyList<string>? Volumes { get; init; }

    public string? WorkingDir { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public string? StopSignal { get; init; }

    public ImageHealthcheck? Healthcheck { get; init; }

    public IReadOnlyList<string>? Shell { get; init; }
}
