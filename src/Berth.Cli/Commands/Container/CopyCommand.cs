using System.CommandLine;
using System.Formats.Tar;
using Berth.Client;

namespace Berth.Cli.Commands.Container;

/// <summary>`cp CONTAINER:SRC DEST` and `cp SRC CONTAINER:DEST` through the archive endpoints; "-" streams a tar on stdin/stdout.</summary>
internal static class CopyCommand
{
    public static Command Create(CliContext cli)
    {
        var archive = new Option<bool>("--archive", "-a") { Description = "Archive mode (copy all uid/gid information)" };
        var followLink = new Option<bool>("--follow-link", "-L") { Description = "Always follow symbol link in SRC_PATH" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress progress output during copy" };
        var source = new Argument<string>("SRC_PATH");
        var destination = new Argument<string>("DEST_PATH");
        var command = new Command("cp", "Copy files/folders between a container and the local filesystem") { archive, followLink, quiet, source, destination }
            .WithUsage("[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH");
        return command.Runs(cli, async (parse, ct) =>
        {
            (string? srcContainer, string srcPath) = Split(parse.GetValue(source)!);
            (string? dstContainer, string dstPath) = Split(parse.GetValue(destination)!);
            return (srcContainer, dstContainer) switch
            {
                (not null, null) => await FromContainerAsync(cli, srcContainer, srcPath, dstPath, ct),
                (null, not null) => await ToContainerAsync(cli, srcPath, dstContainer, dstPath, parse.GetValue(archive), ct),
                (not null, not null) => throw new StatusException(1, "copying between containers is not supported"),
                _ => throw new StatusException(1, "must specify at least one container source"),
            };
        });
    }

    /// <summary>"name:/path" names a container path; a path that starts with "/" or "." is local even with a colon.</summary>
    internal static (string? Container, string Path) Split(string argument)
    {
        if (argument.StartsWith('/') || argument.StartsWith('.'))
        {
            return (null, argument);
        }

        int colon = argument.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? (argument[..colon], argument[(colon + 1)..]) : (null, argument);
    }

    private static async Task<int> FromContainerAsync(CliContext cli, string container, string path, string destination, CancellationToken ct)
    {
        var (response, _) = await cli.Client.ContainerArchiveGetAsync(container, path, ct);
        using (response)
        {
            await using Stream tar = await response.Content.ReadAsStreamAsync(ct);
            if (destination == "-")
            {
                Stream stdout = cli.OpenStdout();
                await tar.CopyToAsync(stdout, ct);
                await stdout.FlushAsync(ct);
                return 0;
            }

            string target = Path.GetFullPath(destination);
            bool intoDirectory = Directory.Exists(target);
            string parent = intoDirectory ? target : Path.GetDirectoryName(target)!;
            if (!Directory.Exists(parent))
            {
                throw new StatusException(1, $"Error response from daemon: destination directory \"{Path.GetDirectoryName(destination)}\" must exist");
            }

            // Extract beside the destination first, so a failed copy leaves nothing half-written behind.
            string staging = Path.Combine(parent, $".berth-cp-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(staging);
            try
            {
                await TarFile.ExtractToDirectoryAsync(tar, staging, overwriteFiles: true, ct);
                string[] top = Directory.GetFileSystemEntries(staging);
                foreach (string entry in top)
                {
                    string final = intoDirectory ? Path.Combine(target, Path.GetFileName(entry)) : target;
                    if (Directory.Exists(entry))
                    {
                        if (Directory.Exists(final))
                        {
                            Merge(entry, final);
                            continue;
                        }

                        Directory.Move(entry, final);
                    }
                    else
                    {
                        File.Move(entry, final, overwrite: true);
                    }
                }
            }
            finally
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return 0;
    }

    private static void Merge(string from, string to)
    {
        foreach (string entry in Directory.GetFileSystemEntries(from))
        {
            string target = Path.Combine(to, Path.GetFileName(entry));
            if (Directory.Exists(entry) && Directory.Exists(target))
            {
                Merge(entry, target);
            }
            else if (Directory.Exists(entry))
            {
                Directory.Move(entry, target);
            }
            else
            {
                File.Move(entry, target, overwrite: true);
            }
        }
    }

    private static async Task<int> ToContainerAsync(CliContext cli, string source, string container, string path, bool archive, CancellationToken ct)
    {
        if (source == "-")
        {
            await cli.Client.ContainerArchivePutAsync(container, path, cli.OpenStdin(), noOverwriteDirNonDir: true, copyUidGid: archive, ct);
            return 0;
        }

        string local = Path.GetFullPath(source);
        if (!File.Exists(local) && !Directory.Exists(local))
        {
            throw new StatusException(1, $"lstat {local}: no such file or directory");
        }

        // Into an existing directory keeps the source's name; otherwise the copy takes the destination's name in its parent.
        Api.Containers.ContainerPathStat? stat = null;
        try
        {
            stat = await cli.Client.ContainerArchiveStatAsync(container, path, ct);
        }
        catch (BerthClientException ex) when (ex.IsNotFound && !ex.Message.Contains("No such container", StringComparison.Ordinal))
        {
        }

        bool isDirectory = stat is not null && (stat.Mode & (1u << 31)) != 0;
        string directory = isDirectory ? path : ParentOf(path);
        string name = isDirectory ? Path.GetFileName(local.TrimEnd('/')) : Path.GetFileName(path.TrimEnd('/'));
        var buffer = new MemoryStream();
        await using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            await AddAsync(writer, local, name, ct);
        }

        buffer.Position = 0;
        await cli.Client.ContainerArchivePutAsync(container, directory, buffer, noOverwriteDirNonDir: true, copyUidGid: archive, ct);
        return 0;
    }

    private static string ParentOf(string path)
    {
        string trimmed = path.TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        return slash <= 0 ? "/" : trimmed[..slash];
    }

    private static async Task AddAsync(TarWriter writer, string local, string name, CancellationToken ct)
    {
        await writer.WriteEntryAsync(local, name, ct);
        if (Directory.Exists(local) && !new FileInfo(local).Attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            foreach (string child in Directory.GetFileSystemEntries(local).Order(StringComparer.Ordinal))
            {
                await AddAsync(writer, child, name + "/" + Path.GetFileName(child), ct);
            }
        }
    }
}
