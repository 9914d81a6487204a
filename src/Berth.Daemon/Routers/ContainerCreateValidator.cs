using System.Text.RegularExpressions;
using Berth.Api.Containers;
using Berth.Core.Errors;

namespace Berth.Daemon.Routers;

/// <summary>The checks moby makes on a create request before the daemon does anything, in moby's words.</summary>
internal static partial class ContainerCreateValidator
{
    private static readonly string[] RestartPolicies = ["", "no", "always", "unless-stopped", "on-failure"];
    private static readonly string[] MountTypes = ["bind", "volume", "tmpfs", "image", "npipe", "cluster"];

    public static void ValidateName(string? name)
    {
        if (!string.IsNullOrEmpty(name) && !NamePattern().IsMatch(name))
        {
            throw Errors.InvalidArgument($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
    }

    public static void Validate(ContainerCreateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Image))
        {
            throw Errors.InvalidArgument("config.Image must not be empty: no image given to create the container from");
        }

        if (request.StopTimeout is < -1)
        {
            throw Errors.InvalidArgument($"invalid StopTimeout: {request.StopTimeout} (must be -1 or more)");
        }

        HostConfig? host = request.HostConfig;
        if (host is null)
        {
            return;
        }

        string policy = host.RestartPolicy?.Name ?? "";
        if (!RestartPolicies.Contains(policy, StringComparer.Ordinal))
        {
            throw Errors.InvalidArgument($"invalid restart policy: unknown policy '{policy}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }

        if (host.RestartPolicy is { MaximumRetryCount: < 0 })
        {
            throw Errors.InvalidArgument("invalid restart policy: maximum retry count can't be negative");
        }

        if (host.RestartPolicy is { MaximumRetryCount: > 0 } && policy != "on-failure")
        {
            throw Errors.InvalidArgument($"invalid restart policy: maximum retry count can only be used with 'on-failure'");
        }

        if (host.AutoRemove && policy is not ("" or "no"))
        {
            throw Errors.InvalidArgument("can't create 'AutoRemove' container with restart policy");
        }

        if (host.Memory is < 0)
        {
            throw Errors.InvalidArgument("invalid memory limit: must not be negative");
        }

        if (host.Memory is > 0 and < 6 * 1024 * 1024)
        {
            throw Errors.InvalidArgument("Minimum memory limit allowed is 6MB");
        }

        if (host.MemorySwap is > 0 && host.Memory is > 0 && host.MemorySwap < host.Memory)
        {
            throw Errors.InvalidArgument("Minimum memoryswap limit should be larger than memory limit, see usage");
        }

        if (host.NanoCpus is < 0)
        {
            throw Errors.InvalidArgument("invalid NanoCPUs: must not be negative");
        }

        if (host.NanoCpus is > 0 && (host.CpuQuota is > 0 || host.CpuPeriod is > 0))
        {
            throw Errors.InvalidArgument("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }

        if (host.CpuPeriod is > 0 and (< 1000 or > 1000000))
        {
            throw Errors.InvalidArgument("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }

        if (host.CpuQuota is > 0 and < 1000)
        {
            throw Errors.InvalidArgument("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }

        foreach (Ulimit limit in host.Ulimits ?? [])
        {
            if (limit.Soft > limit.Hard && limit.Hard >= 0)
            {
                throw Errors.InvalidArgument($"ulimit {limit.Name}: soft limit {limit.Soft} is greater than hard limit {limit.Hard}");
            }
        }

        foreach (MountSpec mount in host.Mounts ?? [])
        {
            if (!MountTypes.Contains(mount.Type, StringComparer.Ordinal))
            {
                throw Errors.InvalidArgument($"invalid mount config for type \"{mount.Type}\": mount type unknown");
            }

            if (string.IsNullOrEmpty(mount.Target))
            {
                throw Errors.InvalidArgument($"invalid mount config for type \"{mount.Type}\": field Target must not be empty");
            }

            if (mount.Type == "bind" && string.IsNullOrEmpty(mount.Source))
            {
                throw Errors.InvalidArgument("invalid mount config for type \"bind\": field Source must not be empty");
            }

            if (mount.Type == "tmpfs" && !string.IsNullOrEmpty(mount.Source))
            {
                throw Errors.InvalidArgument("invalid mount config for type \"tmpfs\": field Source must not be specified");
            }
        }

        foreach (string bind in host.Binds ?? [])
        {
            string[] parts = bind.Split(':');
            if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw Errors.InvalidArgument($"invalid volume specification: '{bind}'");
            }
        }
    }

    [GeneratedRegex("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex NamePattern();
}
