using System.Globalization;
using static Berth.Linux.Interop.Libc;

namespace Berth.Linux;

/// <summary>
/// Gives back the pages of read-only file mappings (code, read-only data of the binary and its libraries) that a
/// long-lived process touched once at startup and will not touch again. They stay in the page cache, so a page that
/// is needed later comes back with a minor fault; only the process's resident set shrinks.
/// </summary>
public static class WorkingSet
{
    /// <summary>
    /// madvise(MADV_DONTNEED) on every private, non-writable file mapping with no private dirty page (nothing there
    /// differs from the file, so dropping it loses nothing). Returns the resident KiB those mappings had.
    /// The mappings are also marked MADV_RANDOM: otherwise each later fault maps its whole fault-around window
    /// (64 KiB) back, and the few code paths of an idle loop bring most of the binary back in.
    /// </summary>
    public static unsafe long ReleaseCleanFileMappings()
    {
        // First the whole list, then the calls: reading and parsing smaps between two calls runs code that would
        // fault pages of the mappings already released straight back in.
        var eligible = new List<Mapping>();
        Mapping? current = null;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            if (Mapping.TryParseHeader(line) is { } header)
            {
                Keep(current, eligible);
                current = header;
                continue;
            }

            if (current is null)
            {
                continue;
            }

            if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                current.ResidentKib = Kib(line);
            }
            else if (line.StartsWith("Private_Dirty:", StringComparison.Ordinal) || line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                current.Dirty |= Kib(line) > 0;
            }
        }

        Keep(current, eligible);
        long released = 0;
        foreach (Mapping mapping in eligible)
        {
            nuint length = (nuint)(mapping.End - mapping.Start);
            _ = madvise((void*)mapping.Start, length, MADV_RANDOM);
            if (madvise((void*)mapping.Start, length, MADV_DONTNEED) == 0)
            {
                released += mapping.ResidentKib;
            }
        }

        return released;
    }

    private static void Keep(Mapping? mapping, List<Mapping> eligible)
    {
        if (mapping is { Eligible: true, Dirty: false, ResidentKib: > 0 })
        {
            eligible.Add(mapping);
        }
    }

    private static long Kib(string line)
    {
        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kib) ? kib : 0;
    }

    private sealed class Mapping
    {
        public nint Start { get; private init; }

        public nint End { get; private init; }

        /// <summary>Private, not writable, backed by a file that still exists.</summary>
        public bool Eligible { get; private init; }

        public long ResidentKib { get; set; }

        public bool Dirty { get; set; }

        /// <summary>"start-end perms offset dev inode [path]"; null for the key: value lines.</summary>
        public static Mapping? TryParseHeader(string line)
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash <= 0 || space <= dash || line.EndsWith(" kB", StringComparison.Ordinal)
                || !long.TryParse(line.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long start)
                || !long.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long end))
            {
                return null;
            }

            string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            string permissions = fields[1];
            string path = fields.Length == 6 ? fields[5].Trim() : "";
            return new Mapping
            {
                Start = (nint)start,
                End = (nint)end,
                Eligible = permissions.Length == 4 && permissions[1] != 'w' && permissions[3] == 'p'
                    && path.StartsWith('/') && !path.EndsWith("(deleted)", StringComparison.Ordinal),
            };
        }
    }
}
