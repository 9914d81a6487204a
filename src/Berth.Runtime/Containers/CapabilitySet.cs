using Berth.Core.Errors;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Containers;

/// <summary>Docker's --cap-add/--cap-drop arithmetic: names with or without "CAP_", any case, "ALL" on either side;
/// drops apply before adds, except that adding ALL wins (moby's caps.TweakCapabilities).</summary>
public static class CapabilitySet
{
    public static List<string> Adjust(IReadOnlyList<string> defaults, IReadOnlyList<string> add, IReadOnlyList<string> drop)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(drop);
        List<string> adds = NormalizeAll(add, "CapAdd");
        List<string> drops = NormalizeAll(drop, "CapDrop");
        if (adds.Contains("ALL"))
            return [.. Spec.Capabilities.All.Where(c => !drops.Contains(c))];

        List<string> result = drops.Contains("ALL") ? [] : defaults.Where(c => !drops.Contains(c)).ToList();
        foreach (string cap in adds)
        {
            if (!result.Contains(cap))
                result.Add(cap);
        }
        return result;
    }

    private static List<string> NormalizeAll(IReadOnlyList<string> names, string field)
    {
        try
        {
            return names.Select(Normalize).ToList();
        }
        catch (BerthException e)
        {
            throw Errors.InvalidArgument($"invalid {field}: {e.Message}");
        }
    }

    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string upper = name.Trim().ToUpperInvariant();
        if (upper == "ALL")
            return upper;
        string full = upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper : "CAP_" + upper;
        if (!Spec.Capabilities.All.Contains(full))
            throw Errors.InvalidArgument($"unknown capability: \"{full}\"");
        return full;
    }
}
