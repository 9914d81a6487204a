using Berth.Core.Content;
using Berth.Core.Images;
using Berth.Registry.Manifests;

namespace Berth.Images.Pull;

/// <summary>Builds the store's <see cref="ImageRecord"/> from a pulled config and manifest.</summary>
internal static class ImageRecords
{
    public static ImageRecord From(
        Digest configDigest, Digest manifestDigest, Digest targetDigest, IReadOnlyList<Descriptor> layers,
        ImageConfigFile config, IReadOnlyList<Digest> diffIds, long size, DateTimeOffset now)
    {
        ImageRuntimeConfig? c = config.Config;
        return new ImageRecord
        {
            Id = configDigest,
            ManifestDigest = manifestDigest,
            TargetDigest = targetDigest,
            Layers = layers,
            Created = config.Created,
            Size = size,
            Architecture = config.Architecture,
            OS = config.OS,
            Variant = config.Variant,
            Author = config.Author,
            DiffIds = diffIds,
            ChainId = diffIds.Count == 0 ? null : ChainIds.Compute(diffIds)[^1].ToString(),
            Pulled = now,
            Config = c is null ? new ImageConfig() : new ImageConfig
            {
                User = c.User,
                ExposedPorts = c.ExposedPorts?.Keys.Order(StringComparer.Ordinal).ToList(),
                Env = c.Env,
                Entrypoint = c.Entrypoint,
                Cmd = c.Cmd,
                Volumes = c.Volumes?.Keys.Order(StringComparer.Ordinal).ToList(),
                WorkingDir = c.WorkingDir,
                Labels = c.Labels,
                StopSignal = c.StopSignal,
                Shell = c.Shell,
                Healthcheck = c.Healthcheck is { } h ? new ImageHealthcheck
                {
                    Test = h.Test,
                    Interval = h.Interval,
                    Timeout = h.Timeout,
                    StartPeriod = h.StartPeriod,
                    StartInterval = h.StartInterval,
                    Retries = h.Retries,
                } : null,
            },
            History = config.History?.Select(h => new ImageHistoryEntry
            {
                Created = h.Created,
                CreatedBy = h.CreatedBy,
                Author = h.Author,
                Comment = h.Comment,
                EmptyLayer = h.EmptyLayer,
            }).ToList() ?? [],
        };
    }
}
