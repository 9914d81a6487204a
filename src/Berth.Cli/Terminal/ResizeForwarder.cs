using System.Runtime.InteropServices;

namespace Berth.Cli.Terminal;

/// <summary>Sends the terminal size now and on every SIGWINCH (docker's MonitorTtySize).</summary>
internal sealed class ResizeForwarder : IDisposable
{
    private readonly PosixSignalRegistration _registration;
    private readonly Func<int, int, Task> _resize;

    private ResizeForwarder(Func<int, int, Task> resize)
    {
        _resize = resize;
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context =>
        {
            context.Cancel = true;
            _ = SendAsync();
        });
    }

    public static async Task<ResizeForwarder> StartAsync(Func<int, int, Task> resize)
    {
        var forwarder = new ResizeForwarder(resize);
        await forwarder.SendAsync();
        return forwarder;
    }

    public static (int Height, int Width)? CurrentSize()
    {
        try
        {
            return (Console.WindowHeight, Console.WindowWidth);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task SendAsync()
    {
        if (CurrentSize() is { } size && size.Height > 0 && size.Width > 0)
        {
            try
            {
                await _resize(size.Height, size.Width);
            }
            catch (Client.BerthClientException)
            {
                // Resizing is best effort: the container may have exited between the signal and the call.
            }
        }
    }

    public void Dispose() => _registration.Dispose();
}
