using System.Globalization;
using Berth.Api.Containers;

namespace Berth.Cli.Commands.Container;

/// <summary>docker's flag value parsers (go-units RAMInBytes, --cpus, --ulimit, --mount, --restart, -e, -l).</summary>
internal static class OptionParsers
{
    /// <summary>"32m", "1.5g", "1024", "512KiB" in binary units, as go-units RAMInBytes.</summary>
    public static long Bytes(string value, string flag)
    {
        string s = value.Trim();
        int end = 0;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.'))
        {
            end++;
        }

        string unit = s[end..].Trim().ToLowerInvariant().TrimEnd('b').TrimEnd('i');
        if (end == 0 || !double.TryParse(s[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || unit.Length > 1)
        {
            throw new UsageException($"invalid argument \"{value}\" for \"{flag}\" flag: invalid size: '{value}'");
        }

        long multiplier = unit switch
        {
            "" => 1,
            "k" => 1L << 10,
            "m" => 1L << 20,
            "g" => 1L << 30,
            "t" => 1L << 40,
            "p" => 1L << 50,
            _ => throw new UsageException($"invalid argument \"{value}\" for \"{flag}\" flag: invalid suffix: '{s[end..]}'"),
        };
        return (long)(number * multiplier);
    }

    /// <summary>--cpus: a decimal number of CPUs → NanoCpus.</summary>
    public static long NanoCpus(string value)
    {
        if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal cpus) || cpus < 0)
        {
            throw new UsageException($"invalid argument \"{value}\" for \"--cpus\" flag: failed to parse {value} as a rational number");
        }

        decimal nanos = cpus * 1_000_000_000m;
        return nanos == decimal.Truncate(nanos)
            ? (long)nanos
            : throw new UsageException($"invalid argument \"{value}\" for \"--cpus\" flag: value is too precise");
    }

    /// <summary>--ulimit name=soft[:hard].</summary>
    public static Ulimit Ulimit(string value)
    {
        string[] parts = value.Split('=', 2);
        string[] limits = parts.Length == 2 ? parts[1].Split(':') : [];
        if (parts.Length != 2 || limits.Length is < 1 or > 2
            || !long.TryParse(limits[0], CultureInfo.InvariantCulture, out long soft)
            || (limits.Length == 2 ? !long.TryParse(limits[1], CultureInfo.InvariantCulture, out long hard) : (hard = soft) != soft))
        {
            throw new UsageException($"invalid argument \"{value}\" for \"--ulimit\" flag: invalid ulimit argument: {value}");
        }

        if (soft > hard)
        {
            throw new UsageException($"invalid argument \"{value}\" for \"--ulimit\" flag: ulimit soft limit must be less than or equal to hard limit: {soft} > {hard}");
        }

        return new Ulimit { Name = parts[0], Soft = soft, Hard = hard };
    }

    /// <summary>docker normalizes capability names to CAP_XXX, keeping ALL.</summary>
    public static string Capability(string cap)
    {
        string upper = cap.ToUpperInvariant();
        return upper == "ALL" || upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper : "CAP_" + upper;
    }

    public static RestartPolicy Restart(string value)
    {
        string[] parts = value.Split(':', 2);
        string name = parts[0];
        if (name is not ("no" or "always" or "unless-stopped" or "on-failure"))
        {
            throw new UsageException($"invalid argument \"{value}\" for \"--restart\" flag: invalid restart policy '{name}'");
        }

        int retries = 0;
        if (parts.Length == 2 && (name != "on-failure" || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out retries)))
        {
            throw new UsageException($"invalid argument \"{value}\" for \"--restart\" flag: maximum retry count must be an integer");
        }

        return new RestartPolicy { Name = name, MaximumRetryCount = retries };
    }

    /// <summary>-e KEY=VALUE, or KEY alone which takes the value from our environment when it is set.</summary>
    public static string Env(string value, Func<string, string?> environment) =>
        value.Contains('=', StringComparison.Ordinal) || environment(value) is not { } fromEnv ? value : value + "=" + fromEnv;

    public static IEnumerable<string> EnvFile(string path, Func<string, string?> environment)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (IOException ex)
        {
            throw new UsageException($"open {path}: {ex.Message}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException($"open {path}: permission denied");
        }

        return lines.Select(l => l.TrimStart()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => Env(l, environment));
    }

    /// <summary>--mount type=bind,source=/x,target=/y,readonly (the keys docker accepts for bind and tmpfs).</summary>
    public static MountSpec Mount(string value)
    {
        string type = "volume";
        string? source = null, target = null, propagation = null;
        bool readOnly = false;
        long? tmpfsSize = null;
        int? tmpfsMode = null;
        foreach (string field in value.Split(','))
        {
            string[] kv = field.Split('=', 2);
            string key = kv[0].Trim().ToLowerInvariant();
            string? v = kv.Length == 2 ? kv[1] : null;
            switch (key)
            {
                case "type": type = v ?? ""; break;
                case "source" or "src": source = v; break;
                case "target" or "destination" or "dst": target = v; break;
                case "readonly" or "ro":
                    readOnly = v is null || bool.TryParse(v, out bool ro) && ro || v == "1";
                    break;
                case "bind-propagation": propagation = v; break;
                case "tmpfs-size": tmpfsSize = Bytes(v ?? "", "--mount"); break;
                case "tmpfs-mode": tmpfsMode = Convert.ToInt32(v, 8); break;
                default:
                    throw new UsageException($"invalid argument \"{value}\" for \"--mount\" flag: unexpected key '{key}' in '{field}'");
            }
        }

        if (string.IsNullOrEmpty(target))
        {
            throw new UsageException($"invalid argument \"{value}\" for \"--mount\" flag: target is required");
        }

        return new MountSpec
        {
            Type = type,
            Source = source,
            Target = target,
            ReadOnly = readOnly,
            BindOptions = propagation is null ? null : new BindOptions { Propagation = propagation },
            TmpfsOptions = tmpfsSize is null && tmpfsMode is null ? null : new TmpfsOptions { SizeBytes = tmpfsSize, Mode = tmpfsMode },
        };
    }

    public static KeyValuePair<string, string> KeyValue(string value)
    {
        int eq = value.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? new(value, "") : new(value[..eq], value[(eq + 1)..]);
    }
}
