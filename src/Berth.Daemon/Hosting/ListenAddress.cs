using Berth.Core.Errors;

namespace Berth.Daemon.Hosting;

/// <summary>A <c>-H</c> value: <c>unix:///path</c> (or a bare path) or <c>tcp://host:port</c>.</summary>
internal sealed record ListenAddress(string Scheme, string Path, string Host, int Port)
{
    public bool IsUnix => Scheme == "unix";

    public static ListenAddress Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.StartsWith('/'))
        {
            return new ListenAddress("unix", value, "", 0);
        }

        if (value.StartsWith("unix://", StringComparison.Ordinal))
        {
            string path = value["unix://".Length..];
            return new ListenAddress("unix", path.Length == 0 ? "/run/berth/berth.sock" : path, "", 0);
        }

        if (value.StartsWith("tcp://", StringComparison.Ordinal))
        {
            string rest = value["tcp://".Length..].TrimEnd('/');
            int colon = rest.LastIndexOf(':');
            string host = colon < 0 ? rest : rest[..colon];
            string portText = colon < 0 ? "2375" : rest[(colon + 1)..];
            if (!int.TryParse(portText, System.Globalization.CultureInfo.InvariantCulture, out int port) || port is < 0 or > 65535)
            {
                throw Errors.InvalidArgument($"invalid bind address format: {value}");
            }

            return new ListenAddress("tcp", "", host.Length == 0 ? "127.0.0.1" : host.Trim('[', ']'), port);
        }

        throw Errors.InvalidArgument($"invalid bind address format: {value} (berthd supports unix:// and tcp://)");
    }

    public override string ToString() => IsUnix ? "unix://" + Path : $"tcp://{Host}:{Port}";
}
