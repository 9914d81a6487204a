namespace Berth.Runtime.Seccomp;

/// <summary>
/// System-call name → number tables per ABI, under the names libseccomp and the runtime-spec use (the kernel
/// table names: "_llseek", "_newselect", "chown32", "newfstatat", ...). The data is in SyscallTable.Data.cs. Read-only
/// after the type initializer.
/// </summary>
internal static partial class SyscallTable
{
    public static readonly Dictionary<string, uint> X86_64 = Index(X86_64Names());

    public static readonly Dictionary<string, uint> X32 = Index(X32Names());

    public static readonly Dictionary<string, uint> I386 = Index(I386Names());

    public static readonly Dictionary<string, uint> Aarch64 = Index(Aarch64Names());

    /// <summary>True when some table knows the name; runc (through libseccomp) ignores names no table knows.</summary>
    public static bool IsKnown(string name) =>
        X86_64.ContainsKey(name) || I386.ContainsKey(name) || X32.ContainsKey(name) || Aarch64.ContainsKey(name);

    private static Dictionary<string, uint> Index(string?[] names)
    {
        var map = new Dictionary<string, uint>(names.Length, StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i] is { } name)
            {
                map.Add(name, (uint)i);
            }
        }

        // A plain dictionary: the tables are built in every runtime process that compiles a filter and looked up a
        // few hundred times; freezing them cost more than all the lookups it speeds up (measured: 3.5 % of a shim).
        return map;
    }
}
