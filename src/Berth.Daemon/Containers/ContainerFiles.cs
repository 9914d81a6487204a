namespace Berth.Daemon.Containers;

/// <summary>The per-container /etc/hostname, /etc/hosts and /etc/resolv.conf Docker generates and binds in.</summary>
public static class ContainerFiles
{
    private const string HostsBase = """
        127.0.0.1	localhost
        ::1	localhost ip6-localhost ip6-loopback
        fe00::	ip6-localnet
        ff00::	ip6-mcastprefix
        ff02::1	ip6-allnodes
        ff02::2	ip6-allrouters

        """;

    public static string Hostname(string hostname) => hostname + "\n";

    /// <summary>The hosts file; with an address (bridge networks) the container's own name resolves to it.</summary>
    public static string Hosts(string hostname, string? address, IReadOnlyList<string> extraHosts)
    {
        ArgumentNullException.ThrowIfNull(extraHosts);
        var text = new System.Text.StringBuilder(HostsBase.ReplaceLineEndings("\n"));
        foreach (string extra in extraHosts)
        {
            // --add-host name:ip
            int colon = extra.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
                text.Append(extra[(colon + 1)..]).Append('\t').Append(extra[..colon]).Append('\n');
        }
        if (address is not null)
            text.Append(address).Append('\t').Append(hostname).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// The host's resolv.conf as Docker filters it for a container with its own network namespace: loopback
    /// nameservers (systemd-resolved's 127.0.0.53, a local dnsmasq) cannot be reached from there, so they go, and
    /// Docker's public defaults stand in when nothing is left. Host-network containers get the file unchanged.
    /// </summary>
    public static string ResolvConf(string hostResolvConf, bool hostNetwork)
    {
        ArgumentNullException.ThrowIfNull(hostResolvConf);
        if (hostNetwork)
            return hostResolvConf;
        List<string> lines = hostResolvConf.Split('\n')
            .Where(l => !IsLoopbackNameserver(l.Trim()))
            .ToList();
        if (!lines.Exists(l => l.TrimStart().StartsWith("nameserver", StringComparison.Ordinal)))
            lines.InsertRange(0, ["nameserver 8.8.8.8", "nameserver 8.8.4.4"]);
        return string.Join('\n', lines).TrimEnd('\n') + "\n";
    }

    private static bool IsLoopbackNameserver(string line)
    {
        string[] fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && fields[0] == "nameserver"
            && (fields[1].StartsWith("127.", StringComparison.Ordinal) || fields[1] == "::1");
    }
}
