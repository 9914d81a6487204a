using System.Globalization;
using Berth.Core.Errors;
using Berth.Linux;

namespace Berth.Runtime.Init;

public sealed partial class ContainerInit
{
    /// <summary>
    /// process.terminal: a pty from the container's own devpts; the master goes to the runtime (and on to the
    /// console socket), the slave becomes /dev/console, the controlling terminal and stdio.
    /// </summary>
    private void SetUpConsole()
    {
        if (!Process.Terminal)
        {
            return;
        }

        if (sendConsole is null)
        {
            throw Errors.InvalidArgument("process.terminal is set but nobody receives the console");
        }

        (SafeFd master, SafeFd slave, int number) = Terminal.OpenPty("/dev/ptmx", "/dev/pts");
        using (master)
        using (slave)
        {
            if (Process.ConsoleSize is { } size)
            {
                Terminal.SetSize(slave, (ushort)size.Height, (ushort)size.Width);
            }

            sendConsole(master);
            string pts = "/dev/pts/" + number.ToString(CultureInfo.InvariantCulture);
            if (!sys.Exists("/dev/console"))
            {
                sys.Touch("/dev/console");
            }

            sys.Mount(pts, "/dev/console", null, MountFlags.Bind, null);
            Terminal.BecomeControllingTerminal(slave);
        }
    }
}
