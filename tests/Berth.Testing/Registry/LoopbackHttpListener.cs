using System.Net;
using System.Text;
using Berth.Testing.Engines;

namespace Berth.Testing.Registry;

/// <summary>The plumbing the HttpListener-based test servers share: bind a free 127.0.0.1 port, serve each request on
/// its own task until stopped, answer JSON.</summary>
public static class LoopbackHttpListener
{
    /// <summary>Starts <paramref name="listener"/> on a free loopback port and returns the port.</summary>
    public static int Start(HttpListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        for (int attempt = 0; ; attempt++)
        {
            // The port may be taken between probing and binding; a few attempts make that harmless.
            int port = ProcessTools.FreeLoopbackPort();
            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return port;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>Answers requests with <paramref name="handle"/> (500 when it throws) until <paramref name="stop"/> or the
    /// listener closes; every response is closed after its handler.</summary>
    public static async Task ServeAsync(HttpListener listener, Func<HttpListenerContext, Task> handle, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(handle);
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stop.IsCancellationRequested || !listener.IsListening)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await handle(context);
                }
                catch (Exception)
                {
                    context.Response.StatusCode = 500;
                }
                finally
                {
                    context.Response.Close();
                }
            }, CancellationToken.None);
        }
    }

    public static async Task WriteJsonAsync(HttpListenerResponse response, int status, string body)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = status;
        response.ContentType = "application/json";
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }
}
