using System.Text;
using Berth.Linux;

namespace Berth.Cli;

/// <summary>
/// Text writers on fds 1 and 2 that write straight to the fd. Not <see cref="Console.Out"/>: its first write sets up the
/// runtime's terminal and signal handling, which starts a thread — on a busy machine a measurable share of a short
/// command — and a command's text output needs none of it. Flushed on every write and synchronized, like the console's.
/// </summary>
internal static class StandardWriter
{
    public static TextWriter For(int fd) =>
        TextWriter.Synchronized(new StreamWriter(new FdStream(new SafeFd(fd, ownsHandle: false), dropAfterBrokenPipe: true), new UTF8Encoding(false)) { AutoFlush = true });
}
