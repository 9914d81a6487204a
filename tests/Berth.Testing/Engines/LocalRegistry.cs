namespace Berth.Testing.Engines;

/// <summary>
/// Debian's <c>docker-registry</c> (distribution 2.8) on 127.0.0.1 at a free port, storage in a temp dir, from a
/// config file the fixture writes. Plain HTTP: clients mark <see cref="Address"/> insecure. Dispose stops it by PID
/// and removes the dir.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private readonly Daemon _daemon;

    private LocalRegistry(string dir, int port, Daemon daemon)
    {
        Dir = dir;
        Port = port;
        _daemon = daemon;
    }

    public string Dir { get; }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of image references.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public string Log => _daemon.Log;

    /// <param name="extraConfig">Top-level YAML appended to the config, such as an <c>auth:</c> section.</param>
    public static async Task<LocalRegistry> StartAsync(string? extraConfig = null)
    {
        string dir = Directory.CreateTempSubdirectory("berth-registry-").FullName;
        try
        {
            // The port may be taken between probing and binding; a few attempts make that harmless.
            for (int attempt = 1; ; attempt++)
            {
                int port = ProcessTools.FreeLoopbackPort();
                string config = Path.Combine(dir, "config.yml");
                await File.WriteAllTextAsync(config, $"""
                    version: 0.1
                    log:
                      level: warn
                      accesslog:
                        disabled: true
                    storage:
                      filesystem:
                        rootdirectory: {Path.Combine(dir, "data")}
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:{port}
                    {extraConfig}
                    """);
                Daemon daemon = Daemon.Start("docker-registry", EngineBinaries.Registry, ["serve", config], Path.Combine(dir, "registry.log"));
                try
                {
                    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
                    await daemon.WaitUntilAsync(() => AnswersAsync(http, port), TimeSpan.FromSeconds(20));
                    return new LocalRegistry(dir, port, daemon);
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    await daemon.DisposeAsync();
                }
                catch
                {
                    await daemon.DisposeAsync();
                    throw;
                }
            }
        }
        catch
        {
            await ProcessTools.DeleteTreeAsync(dir);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await ProcessTools.DeleteTreeAsync(Dir);
    }

    private static async Task<bool> AnswersAsync(HttpClient http, int port)
    {
        try
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/v2/"));
            // A registry with auth configured answers the probe 401: it is up all the same.
            return response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.Unauthorized;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }
}
