using Berth.Api.Containers;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Runtime.Containers;

namespace Berth.Daemon.Containers;

internal sealed partial class ContainerService
{
    public async Task<ContainerCreateResponse> CreateAsync(string? name, ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Image))
            throw Errors.InvalidArgument("No image specified");
        if (!request.Image.StartsWith("sha256:", StringComparison.Ordinal) && !request.Image.All(char.IsAsciiHexDigitLower) && !ImageReference.TryParse(request.Image, out _))
            throw Errors.InvalidArgument("invalid reference format");
        ImageRecord image = await _images.FindAsync(request.Image, cancellationToken)
            ?? throw Errors.NotFound($"No such image: {Familiar(request.Image)}");

        HostConfig host = request.HostConfig ?? new HostConfig();
        ValidateRestartPolicy(host);
        // Until bridge networking lands, the default network is a private namespace with loopback only (as
        // --network none); Docker prints no warning for the default, so neither do we.
        List<string> warnings = [];

        string id = ContainerNames.NewId();
        ContainerConfig merged = ContainerConfigMerger.Merge(request.ToConfig(), image.Config);
        if (string.IsNullOrEmpty(merged.Hostname))
            merged = merged with { Hostname = host.NetworkMode == "host" ? Environment.MachineName : id[..12] };
        List<string> args = ContainerConfigMerger.CommandLine(merged);
        string dataDir = _paths.DataDirectory(id);
        var record = new ContainerRecord
        {
            Id = id,
            Created = DateTimeOffset.UtcNow,
            ImageId = image.Id.ToString(),
            ImageName = request.Image,
            SnapshotParent = image.ChainId,
            Path = args[0],
            Args = args.Skip(1).ToList(),
            Config = merged,
            HostConfig = host,
            LogPath = _paths.LogPath(id),
            HostnamePath = Path.Combine(dataDir, "hostname"),
            HostsPath = Path.Combine(dataDir, "hosts"),
            ResolvConfPath = Path.Combine(dataDir, "resolv.conf"),
        };
        // Everything Docker refuses at create is refused before anything is made.
        ContainerSpecBuilder.Validate(ContainerSpecOptionsFactory.Create(record, _paths.Rootfs(id), _settings));

        // The name is reserved under the lock; the files and fsyncs that follow run outside it, so concurrent creates
        // do not queue behind each other's disk writes.
        await _namesLock.WaitAsync(cancellationToken);
        try
        {
            record.Name = name is null or "" ? ContainerNames.Generate(NameTaken) : ContainerNames.Validate(name);
            if (OwnerOfName(record.Name) is { } owner)
                throw Errors.Conflict($"Conflict. The container name \"/{record.Name}\" is already in use by container \"{owner}\". You have to remove (or rename) that container to be able to reuse that name.");
            _reservedNames[record.Name] = id;
        }
        finally
        {
            _namesLock.Release();
        }
        try
        {
            // The layer and the record are written side by side, so their fsyncs overlap. A crash between them
            // leaves a record without its layer, which RestoreAsync drops: the client was never told it exists.
            Task prepared = PrepareLayerAsync(id, image.ChainId, cancellationToken);
            bool recorded = false;
            try
            {
                _dataDirectories.Take(dataDir, id);
                bool hostNetwork = host.NetworkMode == "host";
                await File.WriteAllTextAsync(record.HostnamePath, ContainerFiles.Hostname(merged.Hostname!), CancellationToken.None);
                await File.WriteAllTextAsync(record.HostsPath, hostNetwork ? await File.ReadAllTextAsync("/etc/hosts", CancellationToken.None) : ContainerFiles.Hosts(merged.Hostname!, null, host.ExtraHosts ?? []), CancellationToken.None);
                string hostResolv = File.Exists("/etc/resolv.conf") ? await File.ReadAllTextAsync("/etc/resolv.conf", CancellationToken.None) : "";
                await File.WriteAllTextAsync(record.ResolvConfPath, ContainerFiles.ResolvConf(hostResolv, hostNetwork), CancellationToken.None);
                await _records.PutAsync(id, record, CancellationToken.None);
                recorded = true;
                await prepared;
            }
            catch
            {
                if (recorded)
                    await _records.DeleteAsync(id, CancellationToken.None);
                await prepared.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (prepared.IsCompletedSuccessfully)
                    await _snapshots.RemoveAsync(id, CancellationToken.None);
                TryDeleteDirectory(dataDir);
                throw;
            }
            var entry = new ContainerEntry(record);
            _containers[id] = entry;
            Publish(entry, "create");
        }
        finally
        {
            _reservedNames.TryRemove(record.Name, out _);
        }
        return new ContainerCreateResponse { Id = id, Warnings = warnings };
    }

    /// <summary>The container's own layer, on its image's mount-target layer (<see cref="MountTargetLayer"/>).</summary>
    private async Task PrepareLayerAsync(string id, string? chainId, CancellationToken cancellationToken)
    {
        string? parent = chainId is null ? null : await _mountTargets.ParentForAsync(chainId, cancellationToken);
        await _snapshots.PrepareAsync(id, parent, null, cancellationToken);
    }

    private static void ValidateRestartPolicy(HostConfig host)
    {
        RestartPolicy? policy = host.RestartPolicy;
        switch (policy?.Name)
        {
            case null or "" or "no" or "always" or "unless-stopped":
                if (policy is { MaximumRetryCount: not 0 })
                    throw Errors.InvalidArgument($"invalid restart policy: maximum retry count can only be used with 'on-failure'");
                break;
            case "on-failure":
                if (policy.MaximumRetryCount < 0)
                    throw Errors.InvalidArgument("invalid restart policy: maximum retry count cannot be negative");
                break;
            default:
                throw Errors.InvalidArgument($"invalid restart policy: unknown policy '{policy.Name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
        if (host.AutoRemove && policy?.Name is "always" or "unless-stopped" or "on-failure")
            throw Errors.InvalidArgument("conflicting options: cannot specify both --restart and --rm");
    }

    /// <summary>"busybox" → "busybox:latest", as Docker names a missing image.</summary>
    private static string Familiar(string reference)
    {
        try
        {
            ImageReference parsed = ImageReference.Parse(reference);
            return parsed.Tag is null && parsed.Digest is null ? reference + ":latest" : reference;
        }
        catch (BerthException)
        {
            return reference;
        }
    }

    private bool NameTaken(string name) => OwnerOfName(name) is not null;

    /// <summary>The id of the container that has (or is being created with) this name; null when it is free.</summary>
    private string? OwnerOfName(string name) =>
        _containers.Values.FirstOrDefault(e => e.Record.Name == name)?.Record.Id
        ?? (_reservedNames.TryGetValue(name, out string? creating) ? creating : null);

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover directory holds no state anyone reads.
        }
    }
}
