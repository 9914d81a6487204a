using Berth.Core.Errors;
using Berth.Linux;

namespace Berth.Runtime.Spec;

/// <summary>The runtime-spec namespace type names and the CLONE_NEW* flag each one stands for.</summary>
public static class NamespaceTypes
{
    // Kept in the order the spec lists them, which is also the order error messages and `features` print.
    private static readonly (string Name, NamespaceFlags Flag)[] Table =
    [
        ("pid", NamespaceFlags.Pid),
        ("network", NamespaceFlags.Network),
        ("mount", NamespaceFlags.Mount),
        ("ipc", NamespaceFlags.Ipc),
        ("uts", NamespaceFlags.Uts),
        ("user", NamespaceFlags.User),
        ("cgroup", NamespaceFlags.Cgroup),
        ("time", NamespaceFlags.Time),
    ];

    /// <summary>Every type name this runtime understands, in spec order.</summary>
    public static IReadOnlyList<string> All { get; } = Array.ConvertAll(Table, t => t.Name);

    /// <summary>The list shown in "not a namespace type (…)" messages.</summary>
    internal static string Known { get; } = string.Join(", ", All);

    /// <summary>Maps a spec type name to its flag; names are case-sensitive as in the spec.</summary>
    public static NamespaceFlags Parse(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return TryParse(type, out NamespaceFlags flag)
            ? flag
            : throw Errors.InvalidArgument($"\"{type}\" is not a namespace type ({Known})");
    }

    public static bool TryParse(string type, out NamespaceFlags flag)
    {
        foreach ((string name, NamespaceFlags f) in Table)
        {
            if (string.Equals(name, type, StringComparison.Ordinal))
            {
                flag = f;
                return true;
            }
        }

        flag = NamespaceFlags.None;
        return false;
    }

    /// <summary>The spec type name of exactly one namespace flag.</summary>
    public static string Name(NamespaceFlags flag)
    {
        foreach ((string name, NamespaceFlags f) in Table)
        {
            if (f == flag)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(flag), flag, "not a single namespace flag");
    }
}
