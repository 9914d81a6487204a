namespace Berth.Testing.Engines;

/// <summary>
/// Requirements of the engine tests: the peers' binaries, installed from Debian's packages by <c>make deps</c>
/// (scripts/deps.sh). Like every requirement, a missing one skips the test only when BERTH_TEST_PRIVILEGED is unset
/// and fails it, naming the package, when it is set.
/// </summary>
/// <example><code>Requires.Root().LocalRegistry().Podman();</code></example>
public static class EngineRequirements
{
    /// <summary>docker-registry, skopeo, umoci and busybox-static: what <see cref="LocalRegistry"/> and <see cref="BusyboxImage"/> use.</summary>
    public static Requirements LocalRegistry(this Requirements requirements)
    {
        Need(EngineBinaries.Registry, "docker-registry");
        Need(EngineBinaries.Skopeo, "skopeo");
        Need(EngineBinaries.Umoci, "umoci");
        return requirements.Busybox();
    }

    /// <summary>podman and conmon.</summary>
    public static Requirements Podman(this Requirements requirements)
    {
        Need(EngineBinaries.Podman, "podman");
        Need(EngineBinaries.Conmon, "conmon");
        return requirements;
    }

    /// <summary>dockerd, containerd (with its runc v2 shim) and a docker client.</summary>
    public static Requirements Dockerd(this Requirements requirements)
    {
        Need(EngineBinaries.Dockerd, "docker.io");
        Need(EngineBinaries.Containerd, "containerd");
        Need(EngineBinaries.ContainerdShim, "containerd");
        if (!File.Exists(EngineBinaries.DebianDockerClient) && !File.Exists(EngineBinaries.PreinstalledDockerClient))
        {
            Requires.Missing($"a docker client at {EngineBinaries.DebianDockerClient} or {EngineBinaries.PreinstalledDockerClient} (apt-get install docker.io)");
        }

        return requirements;
    }

    /// <summary>util-linux's <c>script</c>, which gives a command a pty (<see cref="PtySession"/>).</summary>
    public static Requirements Script(this Requirements requirements)
    {
        Need(EngineBinaries.Script, "bsdutils");
        return requirements;
    }

    private static void Need(string path, string package)
    {
        if (!File.Exists(path))
        {
            Requires.Missing($"{path} (apt-get install {package}; `make deps` installs it)");
        }
    }
}

/// <summary>Where Debian's packages put the peers' binaries.</summary>
public static class EngineBinaries
{
    public const string Podman = "/usr/bin/podman";
    public const string Conmon = "/usr/bin/conmon";
    public const string Dockerd = "/usr/sbin/dockerd";
    public const string Containerd = "/usr/bin/containerd";
    public const string ContainerdShim = "/usr/bin/containerd-shim-runc-v2";
    public const string DebianDockerClient = "/usr/bin/docker";
    public const string PreinstalledDockerClient = "/usr/local/bin/docker";
    public const string Registry = "/usr/bin/docker-registry";
    public const string Skopeo = "/usr/bin/skopeo";
    public const string Umoci = "/usr/bin/umoci";
    public const string Script = "/usr/bin/script";
}
