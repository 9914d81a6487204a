using System.Text;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Linux;
using Berth.Linux.Spawn;
using Berth.Runtime.Spec;
using Berth.Runtime.State;

namespace Berth.Runtime.Hooks;

/// <summary>
/// Runs runtime-spec hooks: each gets the container's state JSON on stdin, exactly its args (argv[0] included:
/// dockerd's libnetwork-setkey hook is dockerd itself, told apart by argv[0]) and env, and is killed when its
/// timeout passes. A failing hook is an error for the caller to report or, for poststart and poststop, to log.
/// </summary>
public static class HookRunner
{
    private const int MaxErrorBytes = 4096;

    public static void RunAll(string stage, IReadOnlyList<SpecHook>? hooks, OciState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (hooks is null || hooks.Count == 0)
        {
            return;
        }

        byte[] stdin = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(state, RuntimeJsonContext.Default.OciState));
        for (int i = 0; i < hooks.Count; i++)
        {
            Run($"{stage}[{i}]", hooks[i], stdin);
        }
    }

    private static void Run(string name, SpecHook hook, byte[] stdin)
    {
        if (!File.Exists(hook.Path))
        {
            throw Errors.NotFound($"hook {name}: \"{hook.Path}\": no such file or directory");
        }

        (SafeFd inRead, SafeFd inWrite) = FileDescriptors.CreatePipe();
        (SafeFd errRead, SafeFd errWrite) = FileDescriptors.CreatePipe();
        using (inWrite)
        using (errRead)
        {
            SpawnedProcess process;
            using (inRead)
            using (errWrite)
            {
                process = StubProcessSpawner.Instance.Spawn(new SpawnOptions
                {
                    Path = hook.Path,
                    Args = hook.Args is { Count: > 0 } args ? args : [hook.Path],
                    Environment = hook.Env ?? [],
                    Operations = [SpawnOps.Dup2(inRead.Fd, 0), SpawnOps.Dup2(errWrite.Fd, 2)],
                });
            }

            using (process)
            {
                try
                {
                    FileDescriptors.Write(inWrite, stdin);
                }
                catch (LinuxException ex) when (ex.Errno == Errno.EPIPE)
                {
                    // The hook need not read its stdin.
                }

                inWrite.Dispose();
                int timeoutMs = hook.Timeout is int seconds ? seconds * 1000 : -1;
                if (FileDescriptors.WaitReadable([process.PidFd], timeoutMs) < 0)
                {
                    _ = Processes.TrySignal(process.PidFd, Signals.SIGKILL);
                    _ = Processes.WaitForExit(process.Pid);
                    throw Errors.Internal($"hook {name}: \"{hook.Path}\" timed out after {hook.Timeout} s");
                }

                int status = Processes.WaitForExit(process.Pid);
                if (status != 0)
                {
                    string detail = ReadAvailable(errRead).Trim();
                    throw Errors.Internal($"hook {name}: \"{hook.Path}\" exited with status {status}{(detail.Length > 0 ? ": " + detail : "")}");
                }
            }
        }
    }

    /// <summary>What the hook wrote to stderr, without waiting on descendants that may still hold the pipe.</summary>
    private static string ReadAvailable(SafeFd pipe)
    {
        var text = new StringBuilder();
        byte[] buffer = new byte[MaxErrorBytes];
        while (text.Length < MaxErrorBytes && FileDescriptors.WaitReadable([pipe], 0) == 0)
        {
            int n = FileDescriptors.Read(pipe, buffer);
            if (n == 0)
            {
                break;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        return text.ToString();
    }
}
