using Berth.Core.Errors;
using Berth.Linux;

namespace Berth.Runtime.Init;

/// <summary>Turns a spec mount's options into mount(2) arguments, with the option names runc and crun accept.</summary>
public static class MountOptions
{
    // MS_POSIXACL / MS_I_VERSION are not in MountFlags because we never pass them ourselves; a spec may ask.
    private const MountFlags PosixAcl = (MountFlags)(1UL << 16);
    private const MountFlags IVersion = (MountFlags)(1UL << 23);

    // Options that set or clear one flag. Order in the options list matters: later options win ("ro,rw" is rw).
    private static readonly Dictionary<string, (bool Clear, MountFlags Flag)> FlagOptions = new(StringComparer.Ordinal)
    {
        ["ro"] = (false, MountFlags.ReadOnly),
        ["rw"] = (true, MountFlags.ReadOnly),
        ["nosuid"] = (false, MountFlags.NoSuid),
        ["suid"] = (true, MountFlags.NoSuid),
        ["nodev"] = (false, MountFlags.NoDev),
        ["dev"] = (true, MountFlags.NoDev),
        ["noexec"] = (false, MountFlags.NoExec),
        ["exec"] = (true, MountFlags.NoExec),
        ["sync"] = (false, MountFlags.Synchronous),
        ["async"] = (true, MountFlags.Synchronous),
        ["dirsync"] = (false, MountFlags.DirSync),
        ["remount"] = (false, MountFlags.Remount),
        ["mand"] = (false, MountFlags.MandLock),
        ["nomand"] = (true, MountFlags.MandLock),
        ["atime"] = (true, MountFlags.NoAtime),
        ["noatime"] = (false, MountFlags.NoAtime),
        ["diratime"] = (true, MountFlags.NoDirAtime),
        ["nodiratime"] = (false, MountFlags.NoDirAtime),
        ["relatime"] = (false, MountFlags.RelAtime),
        ["norelatime"] = (true, MountFlags.RelAtime),
        ["strictatime"] = (false, MountFlags.StrictAtime),
        ["nostrictatime"] = (true, MountFlags.StrictAtime),
        ["nosymfollow"] = (false, MountFlags.NoSymFollow),
        ["symfollow"] = (true, MountFlags.NoSymFollow),
        ["lazytime"] = (false, MountFlags.LazyTime),
        ["nolazytime"] = (true, MountFlags.LazyTime),
        ["silent"] = (false, MountFlags.Silent),
        ["loud"] = (true, MountFlags.Silent),
        ["acl"] = (false, PosixAcl),
        ["noacl"] = (true, PosixAcl),
        ["iversion"] = (false, IVersion),
        ["noiversion"] = (true, IVersion),
    };

    // Recursive attributes (runtime-spec 1.1): applied to every mount in the tree with mount_setattr(2).
    private static readonly Dictionary<string, (bool Clear, MountFlags Flag)> RecursiveOptions = new(StringComparer.Ordinal)
    {
        ["rro"] = (false, MountFlags.ReadOnly),
        ["rrw"] = (true, MountFlags.ReadOnly),
        ["rnosuid"] = (false, MountFlags.NoSuid),
        ["rsuid"] = (true, MountFlags.NoSuid),
        ["rnodev"] = (false, MountFlags.NoDev),
        ["rdev"] = (true, MountFlags.NoDev),
        ["rnoexec"] = (false, MountFlags.NoExec),
        ["rexec"] = (true, MountFlags.NoExec),
        ["rnodiratime"] = (false, MountFlags.NoDirAtime),
        ["rdiratime"] = (true, MountFlags.NoDirAtime),
        ["rrelatime"] = (false, MountFlags.RelAtime),
        ["rnorelatime"] = (true, MountFlags.RelAtime),
        ["rnoatime"] = (false, MountFlags.NoAtime),
        ["ratime"] = (true, MountFlags.NoAtime),
        ["rstrictatime"] = (false, MountFlags.StrictAtime),
        ["rnostrictatime"] = (true, MountFlags.StrictAtime),
        ["rnosymfollow"] = (false, MountFlags.NoSymFollow),
        ["rsymfollow"] = (true, MountFlags.NoSymFollow),
    };

    private static readonly Dictionary<string, MountFlags> PropagationOptions = new(StringComparer.Ordinal)
    {
        ["private"] = MountFlags.Private,
        ["rprivate"] = MountFlags.Private | MountFlags.Recursive,
        ["shared"] = MountFlags.Shared,
        ["rshared"] = MountFlags.Shared | MountFlags.Recursive,
        ["slave"] = MountFlags.Slave,
        ["rslave"] = MountFlags.Slave | MountFlags.Recursive,
        ["unbindable"] = MountFlags.Unbindable,
        ["runbindable"] = MountFlags.Unbindable | MountFlags.Recursive,
    };

    /// <summary>
    /// Every option name handled here rather than passed on as data, sorted; this is the features document's
    /// mountOptions list. "tmpcopyup" is accepted but not listed, because we accept it without doing the copy.
    /// </summary>
    public static IReadOnlyList<string> Known { get; } =
    [
        .. FlagOptions.Keys
            .Concat(RecursiveOptions.Keys)
            .Concat(PropagationOptions.Keys)
            .Concat(["bind", "rbind", "defaults"])
            .Order(StringComparer.Ordinal),
    ];

    public static ParsedMountOptions Parse(IReadOnlyList<string>? options)
    {
        MountFlags flags = MountFlags.None;
        MountFlags propagation = MountFlags.None;
        MountFlags recursiveSet = MountFlags.None;
        MountFlags recursiveClear = MountFlags.None;
        bool bind = false;
        bool recursive = false;
        List<string>? data = null;

        foreach (string option in options ?? [])
        {
            if (FlagOptions.TryGetValue(option, out (bool Clear, MountFlags Flag) f))
            {
                flags = f.Clear ? flags & ~f.Flag : flags | f.Flag;
            }
            else if (RecursiveOptions.TryGetValue(option, out (bool Clear, MountFlags Flag) r))
            {
                // Keep the two sets disjoint so a later option overrides an earlier one.
                if (r.Clear)
                {
                    recursiveClear |= r.Flag;
                    recursiveSet &= ~r.Flag;
                }
                else
                {
                    recursiveSet |= r.Flag;
                    recursiveClear &= ~r.Flag;
                }
            }
            else if (PropagationOptions.TryGetValue(option, out MountFlags p))
            {
                // One propagation call per mount: the last one named wins.
                propagation = p;
            }
            else
            {
                switch (option)
                {
                    case "bind":
                        bind = true;
                        break;
                    case "rbind":
                        bind = true;
                        recursive = true;
                        break;
                    case "defaults":
                    // runc copies the image's content into a fresh tmpfs for this; we mount it empty for now.
                    case "tmpcopyup":
                        break;
                    case "idmap":
                    case "ridmap":
                        throw Errors.NotImplemented(
                            $"mount option \"{option}\" is not supported yet (id-mapped mounts need mount_setattr with MOUNT_ATTR_IDMAP)");
                    default:
                        (data ??= []).Add(option);
                        break;
                }
            }
        }

        if (bind)
        {
            flags |= MountFlags.Bind;
        }

        if (recursive)
        {
            flags |= MountFlags.Recursive;
        }

        string? joined = data is null ? null : string.Join(',', data);
        return new ParsedMountOptions(flags, propagation, joined, bind, recursive)
        {
            RecursiveSet = recursiveSet,
            RecursiveClear = recursiveClear,
        };
    }
}
