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
}
