using System.Runtime.InteropServices;
using System.Text;
using static Berth.Linux.Interop.Libc;

namespace Berth.Linux.Spawn;

/// <summary>
/// Spawns through the machine-code stub (spawn-x86_64.S): the child runs only the stub until execve, so
/// no GC poll or runtime lock can strand it (SPAWN.md §2.1).
/// </summary>
public sealed unsafe class StubProcessSpawner : IProcessSpawner
{
    private const long CLONE_VM = 0x100, CLONE_VFORK = 0x4000, SIGCHLD = 17;
    private const int StackSize = 64 * 1024;

    private static readonly delegate* unmanaged<SpawnRequest*, long> Stub = MapStub();

    public static StubProcessSpawner Instance { get; } = new();

    public SpawnedProcess Spawn(SpawnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var memory = new NativeArena();
        SpawnRequest* request = (SpawnRequest*)memory.Allocate(sizeof(SpawnRequest));
        int* errOut = (int*)memory.Allocate(2 * sizeof(int));
        request->Path = memory.Utf8(options.Path);
        request->Argv = memory.Utf8Array(options.Args);
        request->Envp = memory.Utf8Array(options.Environment);
        request->KeepFd = options.KeepFd?.Fd ?? -1;
        request->ErrOut = errOut;
        request->FullMask = ulong.MaxValue;
        request->WaitFd = -1;
        request->SetRoot = options.SetRoot ? 1 : 0;
        if (options.JoinNamespaces.Count > 0)
        {
            request->NamespaceFds = (int*)memory.Allocate(sizeof(int) * options.JoinNamespaces.Count);
            for (int i = 0; i < options.JoinNamespaces.Count; i++)
            {
                request->NamespaceFds[i] = options.JoinNamespaces[i].Fd;
            }

            request->NamespaceCount = options.JoinNamespaces.Count;
        }

        if (options.Operations.Count > 0)
        {
            request->Ops = (RawSpawnOp*)memory.Allocate(sizeof(RawSpawnOp) * options.Operations.Count);
            for (int i = 0; i < options.Operations.Count; i++)
            {
                request->Ops[i] = RawSpawnOp.From(options.Operations[i], memory);
            }

            request->OpCount = options.Operations.Count;
        }

        // A child that waits before exec cannot use vfork semantics (the parent would be blocked), so it gets
        // CLONE_VM with a stack of its own, and the parent learns of its exec by EOF on a CLOEXEC pipe.
        bool detached = options.BeforeExec is not null;
        int* goAhead = stackalloc int[2] { -1, -1 };
        int* execNotify = stackalloc int[2] { -1, -1 };
        void* stack = null;
        try
        {
            long flags = (long)options.Namespaces | CLONE_VM | SIGCHLD;
            if (detached)
            {
                Check.Io(pipe2(goAhead, O_CLOEXEC), "pipe2");
                Check.Io(pipe2(execNotify, O_CLOEXEC), "pipe2");
                request->WaitFd = goAhead[0];
                stack = mmap(null, StackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
                if (stack == (void*)-1)
                {
                    stack = null;
                    throw new LinuxException(ErrnoText.Last, "mmap child stack");
                }

                request->StackTop = (byte*)stack + StackSize;
            }
            else
            {
                flags |= CLONE_VFORK;
            }

            CloneArgs* clone3 = null;
            if (options.CgroupFd is not null)
            {
                clone3 = (CloneArgs*)memory.Allocate(sizeof(CloneArgs));
                clone3->Flags = (ulong)(flags & ~0xffL) | CloneArgs.CLONE_INTO_CGROUP;
                clone3->ExitSignal = SIGCHLD;
                clone3->Cgroup = (ulong)options.CgroupFd.Fd;
                if (stack is not null)
                {
                    clone3->Stack = (ulong)stack;
                    clone3->StackSize = StackSize;
                }

                request->Clone3Args = clone3;
                request->Clone3Size = sizeof(CloneArgs);
            }

            request->Flags = flags;
            long pid = Stub(request);
            if (pid < 0)
            {
                throw new LinuxException((Errno)(-pid), clone3 is null ? "clone" : "clone3", options.Path);
            }

            if (detached)
            {
                CloseFd(ref goAhead[0]);
                CloseFd(ref execNotify[1]);
                try
                {
                    options.BeforeExec!((int)pid);
                    byte go = 1;
                    Check.Io((long)write(goAhead[1], &go, 1), "write go-ahead");
                }
                catch
                {
                    // The child holds its own copy of the go-ahead pipe's write end, so closing ours would
                    // never give it EOF: end it directly (it is our unreaped child, so the pid is still its).
                    _ = kill((int)pid, 9);
                    DrainUntilExec(execNotify[0]);
                    Reap((int)pid);
                    throw;
                }

                DrainUntilExec(execNotify[0]);
            }

            if (errOut[0] != 0)
            {
                Reap((int)pid);
                int op = errOut[1];
                throw op >= 0 && op < options.Operations.Count
                    ? new LinuxException((Errno)errOut[0], options.Operations[op].Description)
                    : new LinuxException((Errno)errOut[0], "spawn: exec", options.Path);
            }

            int pidfd = (int)syscall(SYS_pidfd_open, pid, 0, 0, 0, 0, 0);
            if (pidfd < 0)
            {
                Errno error = ErrnoText.Last;
                _ = kill((int)pid, 9);
                Reap((int)pid);
                throw new LinuxException(error, "pidfd_open");
            }

            _ = fcntl(pidfd, F_SETFD, 1);
            return new SpawnedProcess((int)pid, new SafeFd(pidfd));
        }
        finally
        {
            CloseFd(ref goAhead[0]);
            CloseFd(ref goAhead[1]);
            CloseFd(ref execNotify[0]);
            CloseFd(ref execNotify[1]);
            if (stack is not null)
            {
                _ = munmap(stack, StackSize);
            }
        }
    }

    /// <summary>Reads until EOF: the write end closes when the child execs (CLOEXEC) or dies.</summary>
    private static void DrainUntilExec(int fd)
    {
        byte sink;
        nint n;
        do
        {
            n = read(fd, &sink, 1);
        }
        while (n > 0 || (n < 0 && ErrnoText.Last == Errno.EINTR));
    }

    private static void Reap(int pid)
    {
        int status;
        while (wait4(pid, &status, 0, null) < 0 && ErrnoText.Last == Errno.EINTR)
        {
        }
    }

    private static void CloseFd(ref int fd)
    {
        if (fd >= 0)
        {
            _ = close(fd);
            fd = -1;
        }
    }

    private static delegate* unmanaged<SpawnRequest*, long> MapStub()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException($"no spawn stub for {RuntimeInformation.ProcessArchitecture}");
        }

        ReadOnlySpan<byte> code = SpawnStubX64.Code;
        nuint size = (nuint)((code.Length + 4095) & ~4095);
        void* page = mmap(null, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == (void*)-1)
        {
            throw new LinuxException(ErrnoText.Last, "mmap spawn stub");
        }

        code.CopyTo(new Span<byte>(page, code.Length));
        Check.Io(mprotect(page, size, PROT_READ | PROT_EXEC), "mprotect spawn stub");
        return (delegate* unmanaged<SpawnRequest*, long>)page;
    }
}
