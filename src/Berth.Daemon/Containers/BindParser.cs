using Berth.Core.Errors;
using Berth.Runtime.Containers;

namespace Berth.Daemon.Containers;

/// <summary>HostConfig.Binds entries ("/src:/dst", "/src:/dst:ro", "/src:/dst:rw,rslave") as Docker parses them on
/// Linux. Named and anonymous volumes belong to the volume service and are refused here with a clear error.</summary>
public static class BindParser
{
    private static readonly string[] Propagations = ["private", "rprivate", "shared", "rshared", "slave", "rslave"];

    public static ContainerMountOption Parse(string bind)
    {
        ArgumentNullException.ThrowIfNull(bind);
        string[] parts = bind.Split(':');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
            throw Errors.InvalidArgument($"invalid volume specification: '{bind}'");
        string source = parts[0], destination = parts[1];
        if (!destination.StartsWith('/'))
            throw Errors.InvalidArgument($"invalid volume specification: '{bind}': invalid mount config for type \"bind\": invalid mount path: '{destination}' mount path must be absolute");
        if (destination == "/")
            throw Errors.InvalidArgument($"invalid volume specification: '{bind}': invalid mount config for type \"bind\": invalid specification: destination can't be '/'");
        if (!source.StartsWith('/'))
            throw Errors.NotImplemented($"named volumes are not supported yet: '{bind}'");

        bool readOnly = false;
        List<string> options = [];
        if (parts.Length == 3)
        {
            foreach (string mode in parts[2].Split(','))
            {
                switch (mode)
                {
                    case "ro": readOnly = true; break;
                    case "rw": readOnly = false; break;
                    // SELinux relabel and copy modes mean nothing without SELinux or volumes.
                    case "z" or "Z" or "nocopy": break;
                    case var p when Propagations.Contains(p): options.Add(p); break;
                    default: throw Errors.InvalidArgument($"invalid mode: {mode}");
                }
            }
        }
        return new ContainerMountOption("bind", source, destination) { ReadOnly = readOnly, Options = options };
    }
}
