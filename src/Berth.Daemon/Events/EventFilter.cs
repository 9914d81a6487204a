using Berth.Daemon.Http;

namespace Berth.Daemon.Events;

/// <summary><c>/events</c> filters: type, event, container, image, label, volume, network, daemon, scope.</summary>
internal sealed class EventFilter(FilterSet filters)
{
    public static readonly string[] Keys = ["type", "event", "container", "image", "label", "volume", "network", "daemon", "scope"];

    public bool Matches(DaemonEvent e) =>
        Any("type", e.Type)
        && Any("event", e.Action, e.Action.Split(':')[0])
        && AnyFor("container", e, "container")
        && AnyFor("volume", e, "volume")
        && AnyFor("network", e, "network")
        && AnyFor("daemon", e, "daemon")
        && ImageMatches(e)
        && LabelsMatch(e)
        && Any("scope", "local");

    private bool Any(string key, params string[] candidates)
    {
        IReadOnlyList<string> wanted = filters.Get(key);
        return wanted.Count == 0 || wanted.Any(w => candidates.Contains(w, StringComparer.Ordinal));
    }

    private bool AnyFor(string key, DaemonEvent e, string type)
    {
        IReadOnlyList<string> wanted = filters.Get(key);
        if (wanted.Count == 0)
        {
            return true;
        }

        return e.Type == type
            && wanted.Any(w => e.ActorId.StartsWith(w, StringComparison.Ordinal) || (e.Attributes.TryGetValue("name", out string? name) && name == w));
    }

    private bool ImageMatches(DaemonEvent e)
    {
        IReadOnlyList<string> wanted = filters.Get("image");
        if (wanted.Count == 0)
        {
            return true;
        }

        string image = e.Type == "image" ? e.ActorId : e.Attributes.GetValueOrDefault("image", "");
        string? imageName = e.Attributes.GetValueOrDefault("name");
        return wanted.Any(w => w == image || w == imageName || (e.Type == "image" && image.StartsWith(w, StringComparison.Ordinal)));
    }

    private bool LabelsMatch(DaemonEvent e)
    {
        foreach (string label in filters.Get("label"))
        {
            int eq = label.IndexOf('=', StringComparison.Ordinal);
            bool ok = eq < 0
                ? e.Attributes.ContainsKey(label)
                : e.Attributes.TryGetValue(label[..eq], out string? value) && value == label[(eq + 1)..];
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
