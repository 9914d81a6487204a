namespace Berth.Daemon;

/// <summary>berthd's own version strings.</summary>
internal static class DaemonIdentity
{
    public const string Version = "0.1.0";

    public const string GitCommit = "berth";

    public const string PlatformName = "Berth Engine";

    /// <summary>The Server header on every reply (moby: "Docker/&lt;version&gt; (linux)"; podman: "Libpod/…").</summary>
    public const string ServerHeader = "Berth/" + Version + " (linux)";
}
