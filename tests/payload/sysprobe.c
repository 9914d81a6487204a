/* A tiny static probe run inside test containers: makes raw syscalls busybox has no applet for and prints
   "<name> <errno>" for each (0 = allowed). Built by the tests with `gcc -static`. */
#include <errno.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

static void probe(const char *name, long rc) { printf("%s %d\n", name, rc < 0 ? errno : 0); }

int main(void)
{
    errno = 0; probe("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -2 /* KEY_SPEC_PROCESS_KEYRING */, 0));
    errno = 0; probe("add_key", syscall(SYS_add_key, "user", "berth", "v", 1, -2));
    errno = 0; probe("ptrace_outside", ptrace(PTRACE_ATTACH, 1, 0, 0));
    /* LINUX_REBOOT_CMD_CAD_OFF: harmless even if it were allowed. */
    errno = 0; probe("reboot", syscall(SYS_reboot, 0xfee1dead, 672274793, 0, 0));
    errno = 0; probe("getpid", syscall(SYS_getpid));
    return 0;
}
