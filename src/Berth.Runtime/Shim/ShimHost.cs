using System.Text;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Linux;
using Berth.Linux.Spawn;
using Berth.Runtime.Lifecycle;
using Berth.Runtime.State;

namespace Berth.Runtime.Shim;

/// <summary>
/// <c>berth-runtime shim</c>: detaches from its launcher (own session, subreaper), creates the container in-process,
/// reports readiness as one JSON line on stdout, then serves its socket until the container is deleted.
/// </summary>
public static class ShimHost
{
    private const string WarmUpSpec = """{"ociVersion":"1.2.0","process":{"args":["true"],"cwd":"/"},"root":{"path":"rootfs"},"linux":{"namespaces":[{"type":"pid"}]}}""";

    /// <summary>
    /// A standby shim (see <see cref="ShimLauncher"/>): does the first-use work of the create path, then waits for its
    /// flags, one JSON array on stdin. Null when stdin ends first: the launcher has gone.
    /// </summary>
    public static string[]? AwaitStandbyWork()
    {
        WarmUp();
        string? line;
        using (var stdin = new LineChannel(new SafeFd(0, ownsHandle: false)))
        {
            line = stdin.Receive();
        }

        // Its launcher niced it while it got ready; back to the launcher's priority for the real work (root may;
        // otherwise it stays niced, which only slows it).
        _ = Try(() => Processes.SetNiceness(0));

        return line is null ? null : ReadFlags(line);
    }

    /// <summary>The launcher's flags, a JSON array of strings (written with <see cref="ShimJsonContext"/>), read by hand as <see cref="ShimRequest"/> is.</summary>
    internal static string[]? ReadFlags(string line) =>
        Json.JsonReading.ReadDocument(Encoding.UTF8.GetBytes(line), default, static (ref Utf8JsonReader reader) => Json.JsonReading.ReadStrings(ref reader).ToArray());

    /// <summary>What every shim pays on its first container create, paid here before there is one.</summary>
    private static void WarmUp()
    {
        byte[] spec = Encoding.UTF8.GetBytes(WarmUpSpec);
        _ = Spec.SpecNamespacePrescan.TryRead(spec);
        _ = Spec.SpecLoader.Deserialize(spec);
        _ = Seccomp.SyscallTable.IsKnown("read");
        _ = new Init.InitRequest { Spec = Spec.SpecText.ForInit(spec, dropSeccomp: true) }.ToJson();
        _ = new ContainerState().ToJson();
    }

    public static int Run(ShimOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using SafeFd devNull = FileDescriptors.Open("/dev/null", FileDescriptors.ReadWrite);
        bool createdDirectory = !Directory.Exists(options.StateDirectory);
        ShimServer server;
        try
        {
            // Out of the launcher's session and process group: a signal to the daemon's group or its terminal
            // does not reach us. setsid fails only for a group leader, which is then already on its own.
            _ = Try(Processes.NewSession);
            Processes.BecomeSubreaper();
            Directory.CreateDirectory(options.StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.Delete(Path.Combine(options.StateDirectory, ShimOptions.ExitFileName));
            FileDescriptors.Duplicate(devNull, 0);
            using (var log = new FileStream(Path.Combine(options.StateDirectory, ShimOptions.LogFileName), FileMode.Append, FileAccess.Write))
            {
                FileDescriptors.Duplicate(new SafeFd((int)log.SafeFileHandle.DangerousGetHandle(), ownsHandle: false), 2);
            }

            var runtime = new OciRuntime(new StateStore(Path.GetFullPath(options.RuntimeRoot)), StubProcessSpawner.Instance,
                OciRuntime.DefaultCgroupRoot, Environment.ProcessPath ?? "/proc/self/exe")
            {
                Warn = Note,
                SeccompCache = options.SeccompCacheDirectory is { } cache ? new Seccomp.SeccompCache(cache) : null,
            };
            server = ShimServer.Create(options with { Bundle = Path.GetFullPath(options.Bundle) }, runtime);
        }
        catch (Exception ex) when (ex is BerthException or IOException or UnauthorizedAccessException)
        {
            // Clean up before reporting: the launcher may check, as soon as it reads the error, that nothing is left.
            if (createdDirectory)
            {
                _ = Try(() => Directory.Delete(options.StateDirectory, recursive: true));
            }

            ReportReadiness(new ShimReadiness { ErrorKind = BerthException.KindOf(ex), Error = ex.Message });
            return 1;
        }

        using (server)
        {
            ReportReadiness(new ShimReadiness { Ready = true, ShimPid = Environment.ProcessId, Pid = server.ContainerPid });
            FileDescriptors.Duplicate(devNull, 1); // the launcher's pipe ends here: it may go away at any time
            server.Run();
        }

        _ = Try(() => Directory.Delete(options.StateDirectory, recursive: true));
        return 0;
    }

    /// <summary>The readiness line; also how a launcher learns of bad flags.</summary>
    internal static void ReportReadiness(ShimReadiness readiness)
    {
        byte[] line = [.. readiness.ToJson(), (byte)'\n'];
        _ = Try(() => FileDescriptors.Write(new SafeFd(1, ownsHandle: false), line));
    }

    public static void ReportFailure(string message) =>
        ReportReadiness(new ShimReadiness { ErrorKind = ErrorKind.InvalidArgument, Error = message });

    /// <summary>A line in shim.log (our stderr once started).</summary>
    private static void Note(string message) =>
        _ = Try(() => FileDescriptors.Write(new SafeFd(2, ownsHandle: false),
            Encoding.UTF8.GetBytes($"{DateTime.UtcNow:O} {message}\n")));

    private static bool Try(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception ex) when (ex is BerthException or IOException)
        {
            return false;
        }
    }
}
