namespace Berth.Images.Pull;

/// <summary>How <see cref="ImagePuller"/> pulls.</summary>
public sealed record ImagePullerOptions
{
    /// <summary>Layers downloading at once (dockerd's <c>max-concurrent-downloads</c>, default 3).</summary>
    public int MaxConcurrentDownloads { get; init; } = 3;

    /// <summary>dockerd's <c>registry-mirrors</c> for docker.io images, such as <c>https://mirror.example</c>;
    /// tried in order before Docker Hub itself.</summary>
    public IReadOnlyList<Uri> RegistryMirrors { get; init; } = [];

    /// <summary>Tries per layer transfer; a broken one resumes with <c>Range</c> from what the ingest holds.</summary>
    public int MaxTransferAttempts { get; init; } = 5;

    /// <summary>First delay between transfer attempts; doubles per failure.</summary>
    public TimeSpan TransferRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);
}
