using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Berth.Core.Errors;
using Berth.Linux;

namespace Berth.Daemon.Hosting;

/// <summary>Before listening: a socket path that answers is another daemon (refuse); one that doesn't is stale (remove).
/// After: mode 0660 and the socket group, like dockerd's docker.sock.</summary>
internal static class UnixSocketGuard
{
    public static bool PrepareAndCheckStale(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return false;
        }

        if (Answers(path))
        {
            throw Errors.Conflict($"another daemon is already listening on {path}; stop it or choose another socket with -H");
        }

        File.Delete(path);
        return true;
    }

    private static bool Answers(string path)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.ReceiveTimeout = 2000;
            socket.Send("GET /_ping HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n\r\n"u8);
            byte[] buffer = new byte[64];
            int read = socket.Receive(buffer);
            return read > 0 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>0660 and the group's gid when the group exists; returns false if the group is missing.</summary>
    public static bool SetPermissions(string path, string group, string groupFile = "/etc/group")
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        int? gid = FindGroup(group, groupFile);
        if (gid is null)
        {
            return false;
        }

        LinuxSyscalls.Instance.Chown(path, -1, gid.Value);
        return true;
    }

    internal static int? FindGroup(string group, string groupFile)
    {
        if (!File.Exists(groupFile))
        {
            return null;
        }

        foreach (string line in File.ReadLines(groupFile))
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == group && int.TryParse(fields[2], CultureInfo.InvariantCulture, out int gid))
            {
                return gid;
            }
        }

        return null;
    }
}
