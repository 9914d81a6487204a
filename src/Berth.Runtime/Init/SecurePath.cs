using System.Text;
using Berth.Core.Errors;

namespace Berth.Runtime.Init;

/// <summary>
/// Resolves a path inside a container root as if the root were "/" (the approach of filepath-securejoin), so a
/// hostile image's symlinks cannot point a mount destination at the host.
/// </summary>
/// <remarks>
/// This is lexical-plus-readlink and therefore racy if the tree changes underneath; it is meant for setting up
/// a rootfs nobody else is touching yet (runc's legacy behaviour). The readlink is injected so the walk is
/// testable without a filesystem and usable through any syscall seam.
/// </remarks>
public static class SecurePath
{
    /// <summary>Linux's MAXSYMLINKS is 40; securejoin allows 255, and we follow securejoin.</summary>
    public const int MaxLinkExpansions = 255;

    /// <summary>
    /// Returns <paramref name="root"/> joined with <paramref name="unsafePath"/> after resolving every symlink
    /// inside the root. <paramref name="readLink"/> receives a host path and returns the link target, or null when
    /// the path is not a symlink or does not exist (trailing components that don't exist yet are appended as-is).
    /// The result is always <paramref name="root"/> or below it.
    /// </summary>
    public static string Join(string root, string unsafePath, Func<string, string?> readLink)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(unsafePath);
        ArgumentNullException.ThrowIfNull(readLink);

        string cleanRoot = Clean(root.StartsWith('/') ? root : Path.GetFullPath(root));
        string resolved = "/";          // the part already walked, always clean and free of symlinks
        string remaining = unsafePath;  // what is left to walk; symlink targets are pushed onto its front
        int expansions = 0;

        while (remaining.Length > 0)
        {
            int slash = remaining.IndexOf('/', StringComparison.Ordinal);
            string part = slash < 0 ? remaining : remaining[..slash];
            remaining = slash < 0 ? "" : remaining[(slash + 1)..];

            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                // `resolved` holds no symlinks, so going up lexically is going up for real; at "/" it stays.
                resolved = Parent(resolved);
                continue;
            }

            string next = resolved == "/" ? "/" + part : resolved + "/" + part;
            string? target = readLink(ToHost(cleanRoot, next));
            if (target is null)
            {
                resolved = next;
                continue;
            }

            if (++expansions > MaxLinkExpansions)
            {
                throw Errors.InvalidArgument(
                    $"resolving \"{unsafePath}\" in \"{cleanRoot}\": too many levels of symbolic links (ELOOP after {MaxLinkExpansions} expansions)");
            }

            // An absolute target restarts at the container root; a relative one continues from the link's directory.
            if (target.StartsWith('/'))
            {
                resolved = "/";
            }

            remaining = remaining.Length == 0 ? target : target + "/" + remaining;
        }

        return ToHost(cleanRoot, resolved);
    }

    private static string ToHost(string root, string containerPath) =>
        containerPath == "/" ? root : root == "/" ? containerPath : root + containerPath;

    private static string Parent(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    /// <summary>Lexical clean of an absolute path: no ".", "..", doubled or trailing slashes.</summary>
    private static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        if (parts.Count == 0)
        {
            return "/";
        }

        var builder = new StringBuilder(path.Length);
        foreach (string part in parts)
        {
            builder.Append('/').Append(part);
        }

        return builder.ToString();
    }
}
