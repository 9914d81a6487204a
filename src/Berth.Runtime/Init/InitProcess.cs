using System.Globalization;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Linux;
using Berth.Runtime.Hooks;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Init;

/// <summary>
/// <c>berth-runtime init</c>: receive the request (the go-ahead), set up, report "ready" or the failed step,
/// block on the exec fifo until <c>start</c>, then exec the container's process.
/// </summary>
public static class InitProcess
{
    /// <summary>The environment variable naming the sync socket fd (runc's _LIBCONTAINER_INITPIPE).</summary>
    public const string SyncFdVariable = "_BERTH_INIT_SYNC";

    /// <summary>The one byte sent with the console's master fd over the sync socket.</summary>
    public const string ConsolePayload = "C";

    /// <summary>The one byte sent with the exec fifo's O_PATH fd before the request.</summary>
    public const string ExecFifoPayload = "F";

    public static int Run()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(SyncFdVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
        {
            Console.Error.WriteLine("berth-runtime init: must be started by berth-runtime (no sync fd)");
            return 1;
        }

        ContainerInit init;
        SafeFd fifo;
        RuntimeSpec? spec = null;
        bool consoleSent = false;
        using (var channel = new LineChannel(new SafeFd(fd)))
        {
            // The exec fifo first, as an fd (the container's root may not be able to reach the runtime's state
            // directory: user namespaces), then the request, whose arrival is the go-ahead.
            SafeFd? fifoFd = Terminal.ReceiveFd(channel.Fd, ExecFifoPayload.Length);
            byte[]? line = channel.ReceiveUtf8();
            if (line is null || fifoFd is null)
            {
                return 1; // the runtime gave up before the go-ahead
            }

            try
            {
                InitRequest request = InitRequest.Parse(line);
                spec = SpecLoader.Deserialize(request.Spec);

                // Reopened for writing through /proc/self/fd once the container's /proc is mounted.
                fifo = fifoFd;
                init = new ContainerInit(
                    LinuxSyscalls.Instance,
                    request,
                    spec,
                    master =>
                    {
                        Terminal.SendFd(channel.Fd, master, ConsolePayload);
                        consoleSent = true;
                    },
                    request.CgroupSelfMoveFiles is { } moveFiles ? () => MoveIntoCgroup(moveFiles) : null);
                init.Setup();
            }
            catch (Exception ex)
            {
                if (spec?.Process?.Terminal == true && !consoleSent)
                {
                    FileDescriptors.Write(channel.Fd, "E"u8); // the runtime waits for the console first
                }

                channel.Send(Reply(ex).ToJson());
                return 1;
            }

            channel.Send(new InitReply().ToJson());
        }

        try
        {
            // start opens the fifo and waits for our byte: startContainer hooks run in between, so they finish
            // before start returns and runs poststart.
            using (SafeFd writer = OpenForStart(fifo))
            {
                HookRunner.RunAll("startContainer", spec!.Hooks?.StartContainer, init.HookState("running"));
                FileDescriptors.Write(writer, "0"u8);
            }
            Signals.ResetForExec();
            FileDescriptors.CloseOnExecFrom(3);
            Processes.Exec(init.Executable!, spec!.Process!.Args, init.Environment);
            return 127;
        }
        catch (LinuxException ex)
        {
            Console.Error.WriteLine($"berth-runtime: {ex.Message}");
            return ex.Errno is Errno.EACCES or Errno.ENOEXEC ? 126 : 127;
        }
        catch (BerthException ex)
        {
            Console.Error.WriteLine($"berth-runtime: {ex.Message}");
            return 127;
        }
    }

    /// <summary>This thread (the one that will exec, so the whole container after it) into the container's cgroup.</summary>
    private static void MoveIntoCgroup(IReadOnlyList<string> taskFiles)
    {
        foreach (string file in taskFiles)
        {
            using SafeFd tasks = FileDescriptors.Open(file, FileDescriptors.WriteOnly);
            FileDescriptors.Write(tasks, "0"u8);
        }
    }

    /// <summary>Blocks until <c>start</c> opens the fifo for reading.</summary>
    private static SafeFd OpenForStart(SafeFd fifo)
    {
        using (fifo)
        {
            return FileDescriptors.Open($"/proc/self/fd/{fifo.Fd.ToString(CultureInfo.InvariantCulture)}", FileDescriptors.WriteOnly);
        }
    }

    private static InitReply Reply(Exception ex) => ex switch
    {
        InitStepException step => new InitReply { Type = InitReply.ErrorType, Step = step.Step, Errno = step.Errno, Message = step.Message },
        LinuxException linux => new InitReply { Type = InitReply.ErrorType, Step = "start", Errno = (int)linux.Errno, Message = $"init step \"start\" failed: {linux.Message}" },
        _ => new InitReply { Type = InitReply.ErrorType, Step = "start", Message = $"init step \"start\" failed: {ex.Message}" },
    };
}
