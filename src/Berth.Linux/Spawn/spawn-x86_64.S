# Berth spawn stub, x86-64 (ARCHITECTURE.md §3, SPAWN.md §3).
#
# long spawn(SpawnRequest* req)   System V ABI: rdi = req, returns pid or -errno in rax.
#
# The child of clone runs ONLY this code and uses only registers and the request block, so no
# managed code (and no GC poll) ever runs between clone and execve. Position-independent; the bytes
# are embedded in SpawnStub.cs and a test re-assembles this file and compares.
#
# Request block (8-byte fields; offsets must match SpawnRequest.cs):
#   0 flags        clone flags (namespaces | CLONE_VM | [CLONE_VFORK] | SIGCHLD)
#   8 path         const char* to execve
#  16 argv         char** (null-terminated)
#  24 envp         char** (null-terminated)
#  32 keepFd       fd whose FD_CLOEXEC the child clears, or -1
#  40 errOut       int* receiving the errno of a failed child step (visible through CLONE_VM)
#  48 nsFds        int* namespace fds the child joins with setns before exec, or 0
#  56 nsCount      number of nsFds
#  64 waitFd       fd the child reads one go-ahead byte from before exec, or -1
#  72 setRoot      nonzero: setresgid(0,0,0) + setresuid(0,0,0) after the go-ahead (user namespaces)
#  80 stackTop     child stack top; 0 shares the caller's stack (only with CLONE_VFORK)
#  88 clone3Args   struct clone_args* (0 = use clone)
#  96 clone3Size   its size
# 104 fullMask     all-ones signal mask (inline)
# 112 savedMask    the caller's mask, saved here (inline)
# 120 sigDefault   32-byte kernel struct sigaction, all zero = SIG_DFL (inline)
# 152 scratch      one byte read from waitFd
# 160 ops          SpawnOp* : syscalls the child makes after the go-ahead, in order (exec into a running
#                  container: chdir, setgroups, setresgid, setresuid, capset, prctl, seccomp, ...), or 0
# 168 opCount      number of ops
# 176 end
#
# SpawnOp (64 bytes): number, a1..a6, flags (bit 0: ignore a failure). A failing op stops the child;
# errOut[0] gets the errno and errOut[1] the op's index (-1 for the fixed steps before the ops).

        .intel_syntax noprefix
        .text
        .globl spawn
spawn:
        push    rbx
        push    r12
        push    r13
        push    r14
        mov     rbx, rdi

        # Block every signal so nothing runs a handler in the child before it resets them.
        mov     eax, 14                 # rt_sigprocmask(SIG_SETMASK, &fullMask, &savedMask, 8)
        mov     edi, 2
        lea     rsi, [rbx+104]
        lea     rdx, [rbx+112]
        mov     r10d, 8
        syscall

        mov     rdi, [rbx+88]
        test    rdi, rdi
        jz      .Lclone
        mov     eax, 435                # clone3(args, size)
        mov     rsi, [rbx+96]
        syscall
        jmp     .Lcloned
.Lclone:
        mov     eax, 56                 # clone(flags, stackTop, 0, 0, 0)
        mov     rdi, [rbx]
        mov     rsi, [rbx+80]
        xor     edx, edx
        xor     r10d, r10d
        xor     r8d, r8d
        syscall
.Lcloned:
        test    rax, rax
        jz      .Lchild

        # Parent: restore the caller's mask and return the pid (or -errno).
        mov     r12, rax
        mov     eax, 14
        mov     edi, 2
        lea     rsi, [rbx+112]
        xor     edx, edx
        mov     r10d, 8
        syscall
        mov     rax, r12
        pop     r14
        pop     r13
        pop     r12
        pop     rbx
        ret

.Lchild:
        mov     r14, -1                 # no op running yet (reported with a failure)
        # Reset every handler to SIG_DFL (the runtime's handlers must never run here).
        mov     r12d, 1
.Lsig:
        mov     eax, 13                 # rt_sigaction(sig, &sigDefault, 0, 8); EINVAL for KILL/STOP is fine
        mov     edi, r12d
        lea     rsi, [rbx+120]
        xor     edx, edx
        mov     r10d, 8
        syscall
        inc     r12d
        cmp     r12d, 65
        jb      .Lsig

        # Join the namespaces named by path.
        xor     r12d, r12d
.Lns:
        cmp     r12, [rbx+56]
        jae     .Lnsdone
        mov     rax, [rbx+48]
        mov     edi, [rax+r12*4]
        xor     esi, esi
        mov     eax, 308                # setns(fd, 0)
        syscall
        test    rax, rax
        js      .Lfail
        inc     r12
        jmp     .Lns
.Lnsdone:

        # Keep the sync fd open across execve.
        mov     rdi, [rbx+32]
        test    rdi, rdi
        js      .Lnokeep
        mov     eax, 72                 # fcntl(fd, F_SETFD, 0)
        mov     esi, 2
        xor     edx, edx
        syscall
        test    rax, rax
        js      .Lfail
.Lnokeep:

        # Wait for the parent's go-ahead (it writes uid_map/gid_map first).
        mov     rdi, [rbx+64]
        test    rdi, rdi
        js      .Lnowait
        xor     eax, eax                # read(fd, &scratch, 1)
        lea     rsi, [rbx+152]
        mov     edx, 1
        syscall
        cmp     rax, 1
        je      .Lnowait
        test    rax, rax
        js      .Lfail
        mov     rax, -125               # EOF: the parent gave up -> ECANCELED
        jmp     .Lfail
.Lnowait:

        cmp     qword ptr [rbx+72], 0
        je      .Lnoroot
        mov     eax, 119                # setresgid(0, 0, 0)
        xor     edi, edi
        xor     esi, esi
        xor     edx, edx
        syscall
        test    rax, rax
        js      .Lfail
        mov     eax, 117                # setresuid(0, 0, 0)
        xor     edi, edi
        xor     esi, esi
        xor     edx, edx
        syscall
        test    rax, rax
        js      .Lfail
.Lnoroot:

        # The op list: plain syscalls with arguments prepared by the parent.
        xor     r14d, r14d
.Lop:
        cmp     r14, [rbx+168]
        jae     .Lopsdone
        mov     r13, r14
        shl     r13, 6
        add     r13, [rbx+160]
        mov     rax, [r13]
        mov     rdi, [r13+8]
        mov     rsi, [r13+16]
        mov     rdx, [r13+24]
        mov     r10, [r13+32]
        mov     r8, [r13+40]
        mov     r9, [r13+48]
        syscall
        test    rax, rax
        jns     .Lopnext
        test    qword ptr [r13+56], 1
        jz      .Lfail
.Lopnext:
        inc     r14
        jmp     .Lop
.Lopsdone:
        mov     r14, -1

        mov     eax, 14                 # restore the mask the caller had
        mov     edi, 2
        lea     rsi, [rbx+112]
        xor     edx, edx
        mov     r10d, 8
        syscall

        mov     eax, 59                 # execve(path, argv, envp)
        mov     rdi, [rbx+8]
        mov     rsi, [rbx+16]
        mov     rdx, [rbx+24]
        syscall

.Lfail:                                 # rax = -errno
        neg     eax
        mov     rcx, [rbx+40]
        mov     [rcx], eax
        mov     [rcx+4], r14d
        mov     eax, 60                 # exit(127)
        mov     edi, 127
        syscall
        hlt
