using Berth.Api;
using Berth.Api.Containers;
using Berth.Core.Errors;
using Berth.Core.Images;

namespace Berth.Daemon.Containers;

/// <summary>
/// Docker's merge of the create request over the image config (moby daemon/create.go merge()): the request wins
/// field by field; Env and Labels merge by key; an Entrypoint in the request drops the image's Cmd; ExposedPorts and
/// Volumes are unions.
/// </summary>
internal static class ContainerConfigMerger
{
    public static ContainerConfig Merge(ContainerConfig request, ImageConfig image)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(image);
        IReadOnlyList<string>? entrypoint = request.Entrypoint ?? image.Entrypoint;
        IReadOnlyList<string>? cmd = request.Cmd;
        if (cmd is null && request.Entrypoint is null)
            cmd = image.Cmd;

        return request with
        {
            User = NonEmpty(request.User) ?? image.User ?? "",
            Env = MergeEnv(image.Env, request.Env),
            Cmd = StrSlice.From(cmd),
            // An explicitly empty entrypoint (--entrypoint "") clears the image's.
            Entrypoint = request.Entrypoint is { Count: 1 } only && only[0].Length == 0 ? null : StrSlice.From(entrypoint),
            WorkingDir = NonEmpty(request.WorkingDir) ?? image.WorkingDir ?? "",
            Labels = MergeMap(image.Labels, request.Labels),
            ExposedPorts = MergeSet(image.ExposedPorts, request.ExposedPorts),
            Volumes = MergeSet(image.Volumes, request.Volumes),
            StopSignal = NonEmpty(request.StopSignal) ?? image.StopSignal,
            Shell = request.Shell ?? image.Shell,
            Healthcheck = request.Healthcheck ?? Backends.ImageMapper.ToHealthConfig(image.Healthcheck),
        };
    }

    /// <summary>Entrypoint then Cmd: what the container runs. Empty is Docker's "No command specified".</summary>
    public static List<string> CommandLine(ContainerConfig merged)
    {
        ArgumentNullException.ThrowIfNull(merged);
        List<string> args = [.. merged.Entrypoint ?? [], .. merged.Cmd ?? []];
        if (args.Count == 0)
            throw Errors.InvalidArgument("no command specified");
        return args;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static List<string> MergeEnv(IReadOnlyList<string>? image, IReadOnlyList<string>? request)
    {
        List<string> env = [.. image ?? []];
        foreach (string entry in request ?? [])
        {
            int eq = entry.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? entry : entry[..eq];
            if (name.Length == 0)
                throw Errors.InvalidArgument($"invalid environment variable: {entry}");
            int existing = env.FindIndex(e => e == name || e.StartsWith(name + "=", StringComparison.Ordinal));
            if (existing >= 0)
                env[existing] = entry;
            else
                env.Add(entry);
        }
        return env;
    }

    private static Dictionary<string, string>? MergeMap(IReadOnlyDictionary<string, string>? image, IDictionary<string, string>? request)
    {
        if (image is null && request is null)
            return null;
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> pair in image ?? new Dictionary<string, string>())
            merged[pair.Key] = pair.Value;
        foreach (KeyValuePair<string, string> pair in request ?? new Dictionary<string, string>())
            merged[pair.Key] = pair.Value;
        return merged;
    }

    private static Dictionary<string, EmptyObject>? MergeSet(IReadOnlyList<string>? image, IDictionary<string, EmptyObject>? request)
    {
        if (image is null && request is null)
            return null;
        var merged = new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
        foreach (string key in image ?? [])
            merged[key] = EmptyObject.Instance;
        foreach (string key in request?.Keys ?? [])
            merged[key] = EmptyObject.Instance;
        return merged;
    }
}
