namespace Berth.Client;

/// <summary>Where the daemon listens: <c>unix:///run/berth/berth.sock</c> or <c>tcp://host:port</c>.</summary>
public sealed record EngineHost
{
    public const string DefaultSocketPath = "/run/berth/berth.sock";

    public static EngineHost Default { get; } = new("unix://" + DefaultSocketPath, DefaultSocketPath, null, 0);

    private EngineHost(string uri, string? socketPath, string? hostName, int port)
    {
        Uri = uri;
        SocketPath = socketPath;
        HostName = hostName;
        Port = port;
    }

    /// <summary>The address as the user wrote it, normalized (used in error messages).</summary>
    public string Uri { get; }

    /// <summary>The Unix socket path, or null for TCP.</summary>
    public string? SocketPath { get; }

    public string? HostName { get; }

    public int Port { get; }

    public bool IsDefault => this == Default;

    /// <summary>Parses <c>unix:///path</c>, <c>tcp://host[:port]</c> (port 2375 by default) or a bare absolute socket path.</summary>
    /// <exception cref="ArgumentException">The address has another scheme or no host.</exception>
    public static EngineHost Parse(string address)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        if (address.StartsWith('/'))
        {
            address = "unix://" + address;
        }

        if (address.StartsWith("unix://", StringComparison.Ordinal))
        {
            string path = address["unix://".Length..];
            return path.Length == 0
                ? throw new ArgumentException($"invalid bind address ({address}): empty path", nameof(address))
                : new EngineHost(address, path, null, 0);
        }

        if (address.StartsWith("tcp://", StringComparison.Ordinal))
        {
            string rest = address["tcp://".Length..].TrimEnd('/');
            int colon = rest.LastIndexOf(':');
            bool hasPort = colon >= 0 && !rest.EndsWith(']');
            string host = hasPort ? rest[..colon] : rest;
            int port = 2375;
            if (hasPort && !int.TryParse(rest.AsSpan(colon + 1), out port))
            {
                throw new ArgumentException($"invalid bind address ({address}): invalid port", nameof(address));
            }

            return host.Length == 0
                ? throw new ArgumentException($"invalid bind address ({address}): no host", nameof(address))
                : new EngineHost($"tcp://{host}:{port}", null, host.Trim('[', ']'), port);
        }

        throw new ArgumentException($"unable to parse docker host `{address}`", nameof(address));
    }

    /// <summary>The host to use: <c>--host</c>, then <c>BERTH_HOST</c>, then <c>DOCKER_HOST</c>, then the default socket.</summary>
    public static EngineHost Resolve(string? flag, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? chosen = !string.IsNullOrEmpty(flag) ? flag
            : !string.IsNullOrEmpty(environment("BERTH_HOST")) ? environment("BERTH_HOST")
            : !string.IsNullOrEmpty(environment("DOCKER_HOST")) ? environment("DOCKER_HOST")
            : null;
        return chosen is null ? Default : Parse(chosen);
    }
}
