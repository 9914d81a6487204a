using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Core.Errors;
using Berth.Linux;

namespace Berth.Runtime.State;

/// <summary>Per-container directories under the runtime root (<c>/run/berth-runtime/&lt;id&gt;</c>, like /run/runc).</summary>
public sealed partial class StateStore(string root)
{
    public const string DefaultRoot = "/run/berth-runtime";
    private const string StateFile = "state.json", FifoFile = "exec.fifo";

    // The states this process wrote: state.json never changes after create, so a long-lived caller (the shim) reads
    // its container's state back from memory instead of deserializing it, which under NativeAOT first builds the
    // serializer's metadata for the whole spec process and hooks graph through reflection.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ContainerState> _written = new(StringComparer.Ordinal);

    public string Root { get; } = root;

    public string DirectoryOf(string id) => Path.Combine(Root, id);

    public string ExecFifoOf(string id) => Path.Combine(DirectoryOf(id), FifoFile);

    /// <summary>runc's rule: letters, digits and <c>_ + - .</c>, never a path; checked before any file is touched.</summary>
    public static void ValidateId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0 || id is "." or ".." || !IdPattern().IsMatch(id))
        {
            throw Errors.InvalidArgument($"invalid container id \"{id}\": only [a-zA-Z0-9_+.-] allowed, and not \".\" or \"..\"");
        }
    }

    /// <summary>Creates the container's directory; fails if the id is taken.</summary>
    public string Reserve(string id)
    {
        ValidateId(id);
        Directory.CreateDirectory(Root);
        string dir = DirectoryOf(id);
        // mkdir(2), not Directory.CreateDirectory: an existing directory must fail, atomically.
        Errno error = LinuxSyscalls.Instance.TryMakeDirectory(dir, 0x1c9 /* 0711 */);
        if (error == Errno.EEXIST)
        {
            throw Errors.AlreadyExists($"container with id exists: {id}");
        }

        if (error != Errno.None)
        {
            throw new LinuxException(error, "mkdir", dir);
        }

        return dir;
    }

    public void Save(ContainerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        string path = Path.Combine(DirectoryOf(state.Id), StateFile);
        string temp = path + ".tmp";
        // Written whole then renamed, so a reader never sees half a file. No fsync: the state lives on tmpfs
        // (/run) like runc's, and must not outlive a reboot anyway.
        File.WriteAllBytes(temp, state.ToJson());

        File.Move(temp, path, overwrite: true);
        _written[state.Id] = state;
    }

    public ContainerState Load(string id)
    {
        ValidateId(id);
        string path = Path.Combine(DirectoryOf(id), StateFile);
        if (_written.TryGetValue(id, out ContainerState? written) && File.Exists(path))
        {
            return written;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, RuntimeJsonContext.Default.ContainerState)
                ?? throw Errors.Internal($"empty state file {path}");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Errors.NotFound($"container does not exist: {id}");
        }
        catch (JsonException ex)
        {
            throw Errors.Internal($"corrupt state file {path}: {ex.Message}", ex);
        }
    }

    public bool Exists(string id) => File.Exists(Path.Combine(DirectoryOf(id), StateFile));

    public IEnumerable<string> ListIds() =>
        Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(Exists).Order(StringComparer.Ordinal)
            : [];

    /// <summary>Removes every trace of the container's state (directory, fifo, state file).</summary>
    public void Remove(string id)
    {
        ValidateId(id);
        _written.TryRemove(id, out _);
        string dir = DirectoryOf(id);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex(@"^[a-zA-Z0-9_+.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
