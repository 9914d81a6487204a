using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Shim;

/// <summary>
/// The daemon's handle on one container's shim. Each call is one connection to <c>STATE-DIR/shim.sock</c>, so the
/// client holds nothing a daemon restart could lose: <see cref="ConnectAsync"/> with the same state dir gives the
/// same view. When the shim has gone, <see cref="StateAsync"/> and <see cref="WaitAsync"/> answer from exit.json.
/// </summary>
public sealed class ShimClient
{
    private ShimClient(string stateDirectory)
    {
        StateDirectory = Path.GetFullPath(stateDirectory);
    }

    public string StateDirectory { get; }

    public string SocketPath => Path.Combine(StateDirectory, ShimOptions.SocketName);

    /// <summary>Starts <c>berth-runtime shim</c> and returns once it has created the container and listens.</summary>
    public static async Task<ShimClient> LaunchAsync(ShimLaunchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ShimOptions shim = options.Shim;
        using Process process = Process.Start(StartInfo(options.RuntimeBinary, Arguments(shim), options.Environment, standby: false))
            ?? throw Errors.Internal($"could not start {options.RuntimeBinary}");
        return await AwaitReadinessAsync(process, shim, cancellationToken);
    }

    /// <summary>How a shim process is started: its readiness comes on stdout; a standby also takes its flags on stdin.</summary>
    internal static ProcessStartInfo StartInfo(string runtimeBinary, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, bool standby)
    {
        var start = new ProcessStartInfo(runtimeBinary)
        {
            UseShellExecute = false,
            RedirectStandardInput = standby,
            RedirectStandardOutput = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>Reads the readiness line of a shim given its work (by flags, or as a standby taking its flags).</summary>
    internal static async Task<ShimClient> AwaitReadinessAsync(Process process, ShimOptions shim, CancellationToken cancellationToken)
    {
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shim may still come up; it is its own process now. The caller's cleanup is a delete by state dir.
            throw;
        }

        ShimReadiness? readiness = line is null ? null : JsonSerializer.Deserialize(line, ShimJsonContext.Default.ShimReadiness);
        if (readiness is not { Ready: true })
        {
            // A shim that failed exits right after its report; reaping it first means the caller sees it gone.
            await process.WaitForExitAsync(cancellationToken);
            if (readiness?.Error is { } error)
            {
                throw new BerthException(readiness.ErrorKind ?? ErrorKind.Internal, error);
            }

            throw Errors.Internal($"shim for {shim.Id} exited with status {process.ExitCode} before it was ready");
        }

        return new ShimClient(shim.StateDirectory);
    }

    /// <summary>The <c>berth-runtime shim</c> flags for these options (after the <c>shim</c> word).</summary>
    public static IReadOnlyList<string> Arguments(ShimOptions shim)
    {
        ArgumentNullException.ThrowIfNull(shim);
        var args = new List<string>
        {
            "shim", "--id", shim.Id, "--bundle", shim.Bundle, "--state-dir", shim.StateDirectory, "--runtime-root", shim.RuntimeRoot,
            "--log-max-size", shim.LogMaxSize.ToString(CultureInfo.InvariantCulture),
            "--log-max-file", shim.LogMaxFiles.ToString(CultureInfo.InvariantCulture),
        };
        if (shim.LogPath is not null)
        {
            args.AddRange(["--log-path", shim.LogPath]);
        }

        if (shim.SeccompCacheDirectory is not null)
        {
            args.AddRange(["--seccomp-cache", shim.SeccompCacheDirectory]);
        }

        if (shim.OpenStdin)
        {
            args.Add("--stdin");
        }

        if (shim.Terminal is { } terminal)
        {
            args.AddRange(["--terminal", terminal ? "true" : "false"]);
        }

        return args;
    }

    /// <summary>A client for a shim launched earlier (a daemon restart); checks it answers, or has left exit.json.</summary>
    public static async Task<ShimClient> ConnectAsync(string stateDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        var client = new ShimClient(stateDirectory);
        _ = await client.StateAsync(cancellationToken: cancellationToken);
        return client;
    }

    /// <summary>exit.json, as the shim wrote it when the container's process exited; null when there is none.</summary>
    public static ShimState? ReadExitFile(string stateDirectory)
    {
        string path = Path.Combine(stateDirectory, ShimOptions.ExitFileName);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), ShimJsonContext.Default.ShimState);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Starts the container's process (created → running).</summary>
    public Task<ShimState> StartAsync(CancellationToken cancellationToken = default) =>
        CallAsync(new ShimRequest { Op = ShimRequest.Start }, cancellationToken);

    public async Task<ShimState> StateAsync(string? execId = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CallAsync(new ShimRequest { Op = ShimRequest.State, ExecId = execId }, cancellationToken);
        }
        catch (BerthException ex) when (ex.Kind == ErrorKind.Unavailable && execId is null && ReadExitFile(StateDirectory) is { } exited)
        {
            return exited;
        }
    }

    /// <summary>Signals the process (or with <paramref name="all"/> every process of the container).</summary>
    public Task<ShimState> KillAsync(int signal, bool all = false, string? execId = null, CancellationToken cancellationToken = default) =>
        CallAsync(new ShimRequest { Op = ShimRequest.Kill, Signal = signal, All = all, ExecId = execId }, cancellationToken);

    /// <summary>Blocks until the process has exited; its state carries the exit code and OOM flag.</summary>
    public async Task<ShimState> WaitAsync(string? execId = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CallAsync(new ShimRequest { Op = ShimRequest.Wait, ExecId = execId }, cancellationToken);
        }
        catch (BerthException ex) when (ex.Kind == ErrorKind.Unavailable && execId is null && ReadExitFile(StateDirectory) is { } exited)
        {
            return exited;
        }
    }

    /// <summary>
    /// Attaches to the process's live streams (the container's by default). Attach before <see cref="StartAsync"/> to
    /// see all of its output. The stream ends when the process has exited and its output is drained.
    /// </summary>
    public Task<ShimStream> AttachAsync(ShimAttachOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OpenStreamAsync(new ShimRequest
        {
            Op = ShimRequest.Attach,
            ExecId = options.ExecId,
            Stdin = options.Stdin,
            Stdout = options.Stdout,
            Stderr = options.Stderr,
            CloseStdinOnEof = options.CloseStdinOnEof,
        }, cancellationToken);
    }

    /// <summary>Sets the pty's window size (TIOCSWINSZ on the master).</summary>
    public Task<ShimState> ResizeAsync(ushort rows, ushort columns, string? execId = null, CancellationToken cancellationToken = default) =>
        CallAsync(new ShimRequest { Op = ShimRequest.Resize, Rows = rows, Columns = columns, ExecId = execId }, cancellationToken);

    /// <summary>
    /// Starts a process in the running container (pty when <c>process.terminal</c>). With <c>Attach</c> the returned
    /// stream is already attached when the process starts; otherwise it is null (detached exec). The exec id is in the state.
    /// </summary>
    public async Task<(ShimState State, ShimStream? Stream)> ExecAsync(ShimExecOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var request = new ShimRequest
        {
            Op = ShimRequest.Exec,
            ExecId = options.ExecId,
            Process = options.Process,
            OpenStdin = options.OpenStdin,
            AttachStreams = options.Attach,
            Stdin = options.Attach && options.OpenStdin,
            Stdout = options.Attach,
            Stderr = options.Attach,
            CloseStdinOnEof = options.Attach && options.OpenStdin,
        };
        if (!options.Attach)
        {
            return (await CallAsync(request, cancellationToken), null);
        }

        ShimStream stream = await OpenStreamAsync(request, cancellationToken);
        return (stream.State, stream);
    }

    /// <summary>Closes the process's stdin pipe (a tty gets ^D).</summary>
    public Task<ShimState> CloseStdinAsync(string? execId = null, CancellationToken cancellationToken = default) =>
        CallAsync(new ShimRequest { Op = ShimRequest.CloseStdin, ExecId = execId }, cancellationToken);

    /// <summary>
    /// Deletes the container (runtime delete) and ends the shim, which removes its state dir. A running container
    /// is refused unless <paramref name="force"/>, which kills it first. A shim already gone is not an error.
    /// </summary>
    public async Task<ShimState?> DeleteAsync(bool force = false, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CallAsync(new ShimRequest { Op = ShimRequest.Delete, Force = force }, cancellationToken);
        }
        catch (BerthException ex) when (ex.Kind == ErrorKind.Unavailable)
        {
            return null;
        }
    }

    private async Task<ShimState> CallAsync(ShimRequest request, CancellationToken cancellationToken)
    {
        using Socket socket = await ConnectSocketAsync(cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        return await ExchangeAsync(stream, request, cancellationToken);
    }

    private async Task<ShimStream> OpenStreamAsync(ShimRequest request, CancellationToken cancellationToken)
    {
        Socket socket = await ConnectSocketAsync(cancellationToken);
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            ShimState state = await ExchangeAsync(stream, request, cancellationToken);
            return new ShimStream(socket, state);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<Socket> ConnectSocketAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
            return socket;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable
                                             or SocketError.AddressFamilyNotSupported || !File.Exists(SocketPath))
        {
            socket.Dispose();
            throw new BerthException(ErrorKind.Unavailable, $"shim at {StateDirectory} is not running: {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<ShimState> ExchangeAsync(NetworkStream stream, ShimRequest request, CancellationToken cancellationToken)
    {
        ShimResponse response;
        try
        {
            await stream.WriteAsync(ShimFraming.Encode(request, ShimJsonContext.Default.ShimRequest), cancellationToken);
            response = await ShimFraming.ReadAsync(stream, ShimJsonContext.Default.ShimResponse, cancellationToken);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException)
        {
            // A shim that died (or was killed) mid-call: the same as one not running.
            throw new BerthException(ErrorKind.Unavailable, $"shim closed the connection during {request.Op}", ex);
        }

        if (response.Error is not null)
        {
            throw new BerthException(response.ErrorKind ?? ErrorKind.Internal, response.Error);
        }

        return response.State ?? throw Errors.Internal($"shim protocol: no state in the reply to {request.Op}");
    }
}
