using Berth.Registry.Auth;

namespace Berth.Registry;

/// <summary>How a <see cref="RegistryClient"/> reaches registries.</summary>
internal sealed record RegistryClientOptions
{
    /// <summary>Registries (<c>host[:port]</c>) spoken to over plain HTTP, like dockerd's <c>insecure-registries</c>.
    /// Loopback (127.0.0.0/8, ::1, localhost) is always plain HTTP.</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    /// <summary>Where credentials come from; none means anonymous.</summary>
    public IRegistryCredentials? Credentials { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The largest manifest accepted (containerd's limit).</summary>
    public int MaxManifestBytes { get; init; } = 4 << 20;

    /// <summary>Redirects followed per request.</summary>
    public int MaxRedirects { get; init; } = 10;

    /// <summary>Tries per GET/HEAD against connection failures, 429 and 5xx (1 disables retries).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first retry's delay; each further failure doubles it (a Retry-After under 30 s wins).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
}
