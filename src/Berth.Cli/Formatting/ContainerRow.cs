using Berth.Api.Containers;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>docker's ContainerContext: the fields `docker ps --format` offers over one container summary.</summary>
internal sealed class ContainerRow : TemplateRow
{
    public const string DefaultTable = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    public const string DefaultTableWithSize = DefaultTable + "\t{{.Size}}";

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        ["ID"] = "CONTAINER ID", ["Image"] = "IMAGE", ["Command"] = "COMMAND", ["CreatedAt"] = "CREATED AT",
        ["RunningFor"] = "CREATED", ["Ports"] = "PORTS", ["State"] = "STATE", ["Status"] = "STATUS", ["Size"] = "SIZE",
        ["Names"] = "NAMES", ["Labels"] = "LABELS", ["Mounts"] = "MOUNTS", ["LocalVolumes"] = "LOCAL VOLUMES",
        ["Networks"] = "NETWORKS", ["Platform"] = "PLATFORM",
    };

    public ContainerRow(ContainerSummary c, bool truncate, DateTimeOffset now) : base("*formatter.ContainerContext")
    {
        Add("ID", () => truncate ? TableFormatter.TruncateId(c.Id) : c.Id);
        Add("Names", () => string.Join(',', c.Names.Select(n => n.TrimStart('/')).Where(n => truncate ? !n.Contains('/', StringComparison.Ordinal) : true)));
        Add("Image", () => Image(c, truncate));
        Add("Command", () => GoPrintf.Quote(truncate ? TableFormatter.Ellipsis(c.Command, 20) : c.Command));
        Add("CreatedAt", () => HumanUnits.GoTime(c.Created));
        Add("RunningFor", () => HumanUnits.Duration(now - DateTimeOffset.FromUnixTimeSeconds(c.Created)) + " ago");
        Add("Ports", () => Ports(c.Ports));
        Add("State", () => c.State);
        Add("Status", () => c.Status);
        Add("Size", () => Size(c));
        Add("Labels", () => c.Labels is null ? "" : string.Join(',', c.Labels.Select(l => $"{l.Key}={l.Value}")));
        Add("Label", () => (TemplateMethod)(args => args.Count == 1 && c.Labels is not null && args[0] is string key && c.Labels.TryGetValue(key, out string? v) ? v : ""));
        Add("Mounts", () => string.Join(',', c.Mounts.Select(m => truncate ? TableFormatter.Ellipsis(m.Name ?? m.Source, 15) : m.Name ?? m.Source)));
        Add("LocalVolumes", () => c.Mounts.Count(m => m.Driver == "local").ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("Networks", () => string.Join(',', c.NetworkSettings.Networks.Keys.Order(StringComparer.Ordinal)));
        Add("Platform", () => "");
    }

    private static string Image(ContainerSummary c, bool truncate)
    {
        if (!truncate)
        {
            return c.Image;
        }

        if (TableFormatter.TruncateId(c.ImageId) == TableFormatter.TruncateId(c.Image))
        {
            return TableFormatter.TruncateId(c.Image);
        }

        int at = c.Image.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? c.Image[..at] : c.Image;
    }

    private static string Size(ContainerSummary c)
    {
        string size = HumanUnits.Size(c.SizeRw ?? 0);
        return c.SizeRootFs is > 0 ? $"{size} (virtual {HumanUnits.Size(c.SizeRootFs.Value)})" : size;
    }

    /// <summary>docker's DisplayablePorts: "0.0.0.0:8080->80/tcp, 443/tcp", published ports first grouped as docker does (simplified: one entry per port).</summary>
    private static string Ports(IReadOnlyList<PortSummary> ports) => string.Join(", ", ports
        .OrderBy(p => p.PublicPort.HasValue ? 0 : 1).ThenBy(p => p.PrivatePort)
        .Select(p => p.PublicPort is { } pub
            ? $"{(string.IsNullOrEmpty(p.IP) ? "" : (p.IP.Contains(':', StringComparison.Ordinal) ? $"[{p.IP}]" : p.IP) + ":")}{pub}->{p.PrivatePort}/{p.Type}"
            : $"{p.PrivatePort}/{p.Type}")
        .Distinct());
}
