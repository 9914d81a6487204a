using System.Runtime.CompilerServices;
using System.Text;
using Berth.Api.Auth;
using Berth.Api.Containers;
using Berth.Api.Engine;
using Berth.Api.Exec;
using Berth.Api.Images;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Core.Progress;
using Berth.Daemon.Backends;
using Berth.Daemon.Http;

namespace Berth.Daemon.Tests;

/// <summary>
/// Backends with fixed data and scripted streams. Containers are known by name or ID; "running" is running (start →
/// 304), everything else is "No such container". Attach and exec echo stdin to stdout in upper case and write one
/// stderr line once stdin ends.
/// </summary>
internal sealed class FakeBackends : IContainerBackend, IExecBackend, IImageBackend, ISystemBackend
{
    public List<ContainerSummary> Containers { get; } = [];

    public List<ImageSummary> Images { get; } = [];

    public List<ProgressEvent> PullEvents { get; } = [];

    public Exception? PullFailure { get; set; }

    public ContainerCreateRequest? LastCreate { get; private set; }

    public string? LastCreateName { get; private set; }

    public ImageReference? LastPull { get; private set; }

    public AuthConfig? LastPullAuth { get; private set; }

    public TaskCompletionSource<ContainerWaitResponse> WaitResult { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<LogEntry> Logs { get; } = [];

    public bool Tty { get; set; }

    public ExecStartRequest? LastExecStart { get; private set; }

    public LogsOptions? LastLogs { get; private set; }

    private static BerthException NoSuchContainer(string name) => Errors.NotFound($"No such container: {name}");

    private ContainerSummary Find(string name) =>
        Containers.FirstOrDefault(c => c.Id.StartsWith(name, StringComparison.Ordinal) || c.Names.Contains("/" + name)) ?? throw NoSuchContainer(name);

    public Task<EngineCounts> CountsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new EngineCounts(Containers.Count, Containers.Count(c => c.State == "running"), 0, Containers.Count(c => c.State != "running"), Images.Count));

    public Task<DiskUsageResponse> DiskUsageAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new DiskUsageResponse { Images = Images, Containers = Containers, LayersSize = Images.Sum(i => i.Size) });

    public Task<ContainerCreateResponse> CreateAsync(string? name, Platform? platform, ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        if (request.Image == "missing")
        {
            throw Errors.NotFound("No such image: missing:latest");
        }

        if (name is not null && Containers.Any(c => c.Names.Contains("/" + name)))
        {
            throw Errors.Conflict($"Conflict. The container name \"/{name}\" is already in use by container \"{Find(name).Id}\". You have to remove (or rename) that container to be able to reuse that name.");
        }

        LastCreate = request;
        LastCreateName = name;
        return Task.FromResult(new ContainerCreateResponse { Id = new string('c', 64) });
    }

    public Task<IReadOnlyList<ContainerSummary>> ListAsync(ContainerListOptions options, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ContainerSummary>>([.. Containers.Where(c => options.All || c.State == "running")]);

    public Task<ContainerInspectResponse> InspectAsync(string name, bool size, CancellationToken cancellationToken)
    {
        ContainerSummary c = Find(name);
        return Task.FromResult(new ContainerInspectResponse
        {
            Id = c.Id,
            Name = c.Names[0],
            Image = c.ImageId,
            State = new ContainerState { Status = c.State, Running = c.State == "running" },
            Config = new ContainerConfig { Image = c.Image, Tty = Tty },
        });
    }

    public Task StartAsync(string name, CancellationToken cancellationToken) =>
        Find(name).State == "running" ? throw new BerthException(ErrorKind.NotModified, "container already started") : Task.CompletedTask;

    public Task StopAsync(string name, StopOptions options, CancellationToken cancellationToken) => Task.FromResult(Find(name));

    public Task KillAsync(string name, string? signal, CancellationToken cancellationToken) =>
        Find(name).State != "running" ? throw Errors.Conflict($"cannot kill container: {name}: container {Find(name).Id} is not running") : Task.CompletedTask;

    public Task RestartAsync(string name, StopOptions options, CancellationToken cancellationToken) => Task.FromResult(Find(name));

    public Task PauseAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Find(name));

    public Task UnpauseAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Find(name));

    public Task<Task<ContainerWaitResponse>> WaitAsync(string name, WaitCondition condition, CancellationToken cancellationToken)
    {
        Find(name);
        return Task.FromResult(WaitResult.Task);
    }

    public Task<StreamTarget> ResolveAsync(string name, CancellationToken cancellationToken) => Task.FromResult(new StreamTarget(Find(name).Id, Tty));

    public async Task AttachAsync(string id, AttachOptions options, Func<Task<AttachStreams>> connect, CancellationToken cancellationToken) => await EchoAsync(await connect(), cancellationToken);

    /// <summary>Echoes stdin upper-cased to stdout until stdin ends, then says goodbye on stderr.</summary>
    private static async Task EchoAsync(AttachStreams streams, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[4096];
        if (streams.Stdin is not null && streams.Stdout is not null)
        {
            int read;
            while ((read = await streams.Stdin.ReadAsync(buffer, cancellationToken)) > 0)
            {
                byte[] upper = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(buffer, 0, read).ToUpperInvariant());
                await streams.Stdout.WriteAsync(upper, cancellationToken);
            }
        }

        Stream? errors = streams.Stderr ?? streams.Stdout;
        if (errors is not null)
        {
            await errors.WriteAsync("stdin closed\n"u8.ToArray(), cancellationToken);
        }
    }

    public Task ResizeAsync(string name, int height, int width, CancellationToken cancellationToken) => Task.FromResult(Find(name));

    public async IAsyncEnumerable<LogEntry> LogsAsync(string id, LogsOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        LastLogs = options;
        foreach (LogEntry entry in Logs.Where(l => (l.Stream == 1 && options.Stdout) || (l.Stream == 2 && options.Stderr)))
        {
            await Task.Yield();
            yield return entry;
        }
    }

    public Task<ContainerTopResponse> TopAsync(string name, string? psArgs, CancellationToken cancellationToken) =>
        Task.FromResult(new ContainerTopResponse { Titles = ["PID", "CMD"], Processes = [["1", "sh"]] });

    public Task RenameAsync(string name, string newName, CancellationToken cancellationToken) => Task.FromResult(Find(name));

    public Task RemoveAsync(string name, RemoveOptions options, CancellationToken cancellationToken) =>
        Find(name).State == "running" && !options.Force
            ? throw Errors.Conflict($"cannot remove container \"/{name}\": container is running: stop the container before removing or force remove")
            : Task.CompletedTask;

    public Task<ContainerPruneResponse> PruneAsync(FilterSet filters, CancellationToken cancellationToken) => Task.FromResult(new ContainerPruneResponse());

    public Task<ContainerPathStat> StatPathAsync(string name, string path, CancellationToken cancellationToken)
    {
        Find(name);
        return Task.FromResult(new ContainerPathStat { Name = Path.GetFileName(path), Size = 5, Mode = 0x1a4, Mtime = DateTimeOffset.UnixEpoch });
    }

    public async Task GetArchiveAsync(string name, string path, Stream output, CancellationToken cancellationToken) =>
        await output.WriteAsync("tarbytes"u8.ToArray(), cancellationToken);

    public byte[]? LastPut { get; private set; }

    public async Task PutArchiveAsync(string name, string path, Stream input, PutArchiveOptions options, CancellationToken cancellationToken)
    {
        Find(name);
        using var copy = new MemoryStream();
        await input.CopyToAsync(copy, cancellationToken);
        LastPut = copy.ToArray();
    }

    public Task<IReadOnlyList<FilesystemChange>> ChangesAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FilesystemChange>>([new FilesystemChange { Path = "/tmp", Kind = 0 }]);

    public Task<ContainerStatsResponse> StatsAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(new ContainerStatsResponse { Id = Find(name).Id, Name = Find(name).Names[0] });

    public Task<string> CreateAsync(string container, ExecCreateRequest request, CancellationToken cancellationToken)
    {
        Find(container);
        return Task.FromResult("e1");
    }

    Task<StreamTarget> IExecBackend.ResolveAsync(string execId, CancellationToken cancellationToken) =>
        execId == "e1" ? Task.FromResult(new StreamTarget("e1", Tty)) : throw Errors.NotFound($"No such exec instance: {execId}");

    public Task StartAsync(string execId, ExecStartRequest request, AttachStreams? streams, CancellationToken cancellationToken)
    {
        LastExecStart = request;
        return streams is null ? Task.CompletedTask : EchoAsync(streams, cancellationToken);
    }

    Task IExecBackend.ResizeAsync(string execId, int height, int width, CancellationToken cancellationToken) => Task.CompletedTask;

    Task<ExecInspectResponse> IExecBackend.InspectAsync(string execId, CancellationToken cancellationToken) =>
        Task.FromResult(new ExecInspectResponse { Id = execId, ExitCode = 0, ContainerId = Containers.FirstOrDefault()?.Id ?? "" });

    public async IAsyncEnumerable<ProgressEvent> PullAsync(ImageReference reference, Platform? platform, AuthConfig? auth, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        LastPull = reference;
        LastPullAuth = auth;
        foreach (ProgressEvent e in PullEvents)
        {
            await Task.Yield();
            yield return e;
        }

        if (PullFailure is not null)
        {
            throw PullFailure;
        }
    }

    public Task<IReadOnlyList<ImageSummary>> ListAsync(ImageListOptions options, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ImageSummary>>(Images);

    Task<ImageInspectResponse> IImageBackend.InspectAsync(string name, CancellationToken cancellationToken)
    {
        ImageSummary image = Images.FirstOrDefault(i => i.RepoTags.Contains(name) || i.Id == name) ?? throw Errors.NotFound($"No such image: {name}");
        return Task.FromResult(new ImageInspectResponse { Id = image.Id, RepoTags = image.RepoTags, Size = image.Size, Architecture = "amd64" });
    }

    public Task<IReadOnlyList<ImageHistoryItem>> HistoryAsync(string name, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ImageHistoryItem>>([]);

    public ImageReference? LastTag { get; private set; }

    public Task TagAsync(string source, ImageReference target, CancellationToken cancellationToken)
    {
        LastTag = target;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ImageDeleteResponseItem>> DeleteAsync(string name, bool force, bool noPrune, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ImageDeleteResponseItem>>([new ImageDeleteResponseItem { Untagged = name }]);

    public IAsyncEnumerable<ProgressEvent> PushAsync(ImageReference reference, AuthConfig? auth, CancellationToken cancellationToken) => PullAsync(reference, null, auth, cancellationToken);

    public Task SaveAsync(IReadOnlyList<string> names, Stream output, CancellationToken cancellationToken) => output.WriteAsync("tar"u8.ToArray(), cancellationToken).AsTask();

    public async IAsyncEnumerable<ProgressEvent> LoadAsync(Stream input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await input.CopyToAsync(Stream.Null, cancellationToken);
        yield return new ProgressEvent(null, "Loaded image: busybox:latest");
    }

    Task<ImagePruneResponse> IImageBackend.PruneAsync(FilterSet filters, CancellationToken cancellationToken) => Task.FromResult(new ImagePruneResponse());

    public Task<AuthResponse> LoginAsync(AuthConfig auth, CancellationToken cancellationToken) => Task.FromResult(new AuthResponse { Status = "Login Succeeded" });
}
