using System.Globalization;
using Berth.Api.Containers;
using Berth.Core.Errors;
using Berth.Core.Mounts;
using Berth.Daemon.Backends;

namespace Berth.Daemon.Containers;

internal sealed partial class ContainerService
{
    private const string DriverName = "overlay2";

    public async Task<IReadOnlyList<ContainerSummary>> ListAsync(ContainerListOptions options, CancellationToken cancellationToken)
    {
        ContainerFilters.ValidateListFilters(options.Filters);
        bool all = options.All || options.Limit is > 0 || options.Filters.Contains("status") || options.Filters.Contains("exited");
        IEnumerable<ContainerRecord> records = _containers.Values.Select(e => e.Record)
            .Where(r => all || r.State.Running || r.State.Restarting)
            .Where(r => ContainerFilters.MatchList(r, options.Filters, _ => null))
            .OrderByDescending(r => r.Created);
        if (options.Filters.Get("before") is { Count: > 0 } before)
        {
            DateTimeOffset created = Find(before[0]).Record.Created;
            records = records.Where(r => r.Created < created);
        }
        if (options.Filters.Get("since") is { Count: > 0 } since)
        {
            DateTimeOffset created = Find(since[0]).Record.Created;
            records = records.Where(r => r.Created > created);
        }
        if (options.Limit is > 0 and int limit)
            records = records.Take(limit);

        List<ContainerSummary> result = [];
        foreach (ContainerRecord record in records)
        {
            long? sizeRw = options.Size ? await SizeRwAsync(record.Id, cancellationToken) : null;
            result.Add(new ContainerSummary
            {
                Id = record.Id,
                Names = ["/" + record.Name],
                Image = record.ImageName,
                ImageId = record.ImageId,
                Command = CommandString(record),
                Created = record.Created.ToUnixTimeSeconds(),
                Ports = [],
                SizeRw = sizeRw,
                SizeRootFs = options.Size ? sizeRw : null,
                Labels = record.Config.Labels ?? new Dictionary<string, string>(),
                State = record.State.Status,
                Status = StatusText(record, DateTimeOffset.UtcNow),
                HostConfig = new ContainerSummaryHostConfig { NetworkMode = NetworkModeName(record) },
                NetworkSettings = new ContainerSummaryNetworkSettings { Networks = Networks(record) },
                Mounts = MountPoints(record),
            });
        }
        return result;
    }

    public async Task<ContainerInspectResponse> InspectAsync(string name, bool size, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        ContainerRecord record = entry.Record;
        long? sizeRw = size ? await SizeRwAsync(record.Id, cancellationToken) : null;
        return new ContainerInspectResponse
        {
            Id = record.Id,
            Created = record.Created,
            Path = record.Path,
            Args = record.Args,
            State = record.State,
            Image = record.ImageId,
            ResolvConfPath = record.ResolvConfPath,
            HostnamePath = record.HostnamePath,
            HostsPath = record.HostsPath,
            LogPath = record.LogPath,
            Name = "/" + record.Name,
            RestartCount = record.RestartCount,
            Driver = DriverName,
            Platform = "linux",
            ExecIds = _execs.Values.Where(e => e.ContainerId == record.Id).Select(e => e.Id).ToList() is { Count: > 0 } execs ? execs : null,
            HostConfig = record.HostConfig,
            GraphDriver = await GraphDriverAsync(record.Id, cancellationToken),
            SizeRw = sizeRw,
            SizeRootFs = sizeRw,
            Mounts = MountPoints(record),
            Config = record.Config,
            NetworkSettings = new NetworkSettings { Networks = Networks(record) },
        };
    }

    public async Task<ContainerTopResponse> TopAsync(string name, string? psArgs, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        if (!entry.IsRunning)
            throw Errors.Conflict($"container {entry.Record.Id} is not running");
        string pidsJson = await RunRuntimeAsync(["ps", "--format", "json", entry.Record.Id], cancellationToken);
        HashSet<string> pids = [.. pidsJson.Trim('[', ']', ' ', '\n').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

        var start = new System.Diagnostics.ProcessStartInfo("ps") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string.IsNullOrWhiteSpace(psArgs) ? "-ef" : psArgs).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            start.ArgumentList.Add(arg);
        using System.Diagnostics.Process ps = System.Diagnostics.Process.Start(start) ?? throw Errors.Internal("cannot run ps");
        string output = await ps.StandardOutput.ReadToEndAsync(cancellationToken);
        await ps.WaitForExitAsync(cancellationToken);
        if (ps.ExitCode != 0)
            throw Errors.Internal($"ps: {(await ps.StandardError.ReadToEndAsync(cancellationToken)).Trim()}");

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] titles = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int pidColumn = Array.IndexOf(titles, "PID");
        if (pidColumn < 0)
            throw Errors.InvalidArgument("Couldn't find PID field in ps output");
        List<IReadOnlyList<string>> processes = [];
        foreach (string line in lines.Skip(1))
        {
            // The last column (the command) may hold spaces: split into at most as many fields as there are titles.
            string[] fields = line.Split(' ', titles.Length, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length > pidColumn && pids.Contains(fields[pidColumn]))
                processes.Add(fields);
        }
        return new ContainerTopResponse { Titles = titles, Processes = processes };
    }

    public async Task<ContainerStatsResponse> StatsAsync(string name, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        ContainerRecord record = entry.Record;
        long? memory = null, limit = null, pidsCurrent = null;
        if (entry.IsRunning && record.State.Pid > 0)
        {
            memory = ReadCgroupNumber(record.State.Pid, "memory", "memory.usage_in_bytes", "memory.current");
            limit = ReadCgroupNumber(record.State.Pid, "memory", "memory.limit_in_bytes", "memory.max");
            pidsCurrent = ReadCgroupNumber(record.State.Pid, "pids", "pids.current", "pids.current");
        }
        await Task.CompletedTask;
        return new ContainerStatsResponse
        {
            Name = "/" + record.Name,
            Id = record.Id,
            Read = DateTimeOffset.UtcNow,
            MemoryStats = new MemoryStats { Usage = memory, Limit = limit },
            PidsStats = new PidsStats { Current = pidsCurrent, Limit = record.HostConfig.PidsLimit is > 0 ? record.HostConfig.PidsLimit : null },
            CpuStats = new CpuStats { OnlineCpus = Environment.ProcessorCount },
        };
    }

    public async Task<IReadOnlyList<FilesystemChange>> ChangesAsync(string name, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        IReadOnlyList<Mount> mounts = await _snapshots.MountsAsync(entry.Record.Id, cancellationToken);
        Mount mount = mounts[0];
        string? upper = mount.Options.FirstOrDefault(o => o.StartsWith("upperdir=", StringComparison.Ordinal))?["upperdir=".Length..];
        if (upper is null)
            throw Errors.NotImplemented("changes are only tracked for overlay snapshots");
        List<string> lowers = mount.Options.FirstOrDefault(o => o.StartsWith("lowerdir=", StringComparison.Ordinal))?["lowerdir=".Length..].Split(':').ToList() ?? [];
        List<FilesystemChange> changes = [];
        foreach (string path in Directory.EnumerateFileSystemEntries(upper, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = "/" + Path.GetRelativePath(upper, path);
            Linux.FileStatus status = Linux.FileSystemOps.Stat(path);
            bool whiteout = status.Type == Linux.FileStatus.CharDevice && status.Device == 0;
            bool inLower = lowers.Exists(l => Path.Exists(l + relative) || new FileInfo(l + relative).LinkTarget is not null);
            changes.Add(new FilesystemChange { Path = relative, Kind = whiteout ? 2 : inLower ? 0 : 1 });
        }
        return changes;
    }

    private static long? ReadCgroupNumber(int pid, string controller, string v1File, string v2File)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/cgroup"))
            {
                string[] parts = line.Split(':', 3);
                if (parts.Length != 3)
                    continue;
                string file = parts[0] == "0" && parts[1].Length == 0
                    ? Path.Combine("/sys/fs/cgroup", parts[2].TrimStart('/'), v2File)
                    : parts[1].Split(',').Contains(controller) ? Path.Combine("/sys/fs/cgroup", controller, parts[2].TrimStart('/'), v1File) : "";
                if (file.Length > 0 && File.Exists(file) && long.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out long value))
                    return value;
            }
        }
        catch (IOException)
        {
            // The process exited between the check and the read.
        }
        return null;
    }

    private async Task<long?> SizeRwAsync(string id, CancellationToken cancellationToken) =>
        await _snapshots.StatAsync(id, cancellationToken) is null ? null : (await _snapshots.UsageAsync(id, cancellationToken)).Size;

    private async Task<GraphDriverData> GraphDriverAsync(string id, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (await _snapshots.StatAsync(id, cancellationToken) is not null)
        {
            foreach (string option in (await _snapshots.MountsAsync(id, cancellationToken)).SelectMany(m => m.Options))
            {
                int eq = option.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && option[..eq] is "lowerdir" or "upperdir" or "workdir")
                    data[char.ToUpperInvariant(option[0]) + option[1..eq].Replace("dir", "Dir", StringComparison.Ordinal)] = option[(eq + 1)..];
            }
            data["MergedDir"] = _paths.Rootfs(id);
        }
        return new GraphDriverData { Name = DriverName, Data = data };
    }

    private static string CommandString(ContainerRecord record)
    {
        IEnumerable<string> words = new[] { record.Path }.Concat(record.Args).Select(w => w.Contains(' ', StringComparison.Ordinal) ? $"\"{w}\"" : w);
        return string.Join(' ', words);
    }

    /// <summary>Docker's ps Status column.</summary>
    public static string StatusText(ContainerRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        ContainerState state = record.State;
        if (state.Restarting)
            return $"Restarting ({state.ExitCode}) {HumanDuration.Format(now - state.FinishedAt)} ago";
        if (state.Running)
            return $"Up {HumanDuration.Format(now - state.StartedAt)}" + (state.Paused ? " (Paused)" : "");
        if (state.Status == ContainerStatuses.Removing)
            return "Removal In Progress";
        if (state.Status == ContainerStatuses.Dead)
            return "Dead";
        if (!record.HasBeenStarted || state.FinishedAt == default)
            return "Created";
        return $"Exited ({state.ExitCode}) {HumanDuration.Format(now - state.FinishedAt)} ago";
    }

    private static string NetworkModeName(ContainerRecord record) => record.HostConfig.NetworkMode is null or "" or "default" ? "bridge" : record.HostConfig.NetworkMode;

    private static Dictionary<string, EndpointSettings> Networks(ContainerRecord record) =>
        new(StringComparer.Ordinal) { [NetworkModeName(record)] = new EndpointSettings { NetworkId = "", EndpointId = "", Gateway = "", IPAddress = "", IPPrefixLen = 0 } };

    private static List<MountPoint> MountPoints(ContainerRecord record)
    {
        List<MountPoint> points = [];
        foreach (string bind in record.HostConfig.Binds ?? [])
        {
            Runtime.Containers.ContainerMountOption parsed = BindParser.Parse(bind);
            points.Add(new MountPoint
            {
                Type = "bind",
                Source = parsed.Source,
                Destination = parsed.Destination,
                Mode = bind.Split(':').Length == 3 ? bind.Split(':')[2] : "",
                RW = !parsed.ReadOnly,
                Propagation = parsed.Options.Count > 0 ? parsed.Options[0] : "rprivate",
            });
        }
        foreach (MountSpec mount in record.HostConfig.Mounts ?? [])
        {
            points.Add(new MountPoint
            {
                Type = mount.Type,
                Source = mount.Source ?? "",
                Destination = mount.Target,
                Mode = "",
                RW = !mount.ReadOnly,
                Propagation = mount.Type == "bind" ? mount.BindOptions?.Propagation ?? "rprivate" : "",
            });
        }
        return points;
    }
}
