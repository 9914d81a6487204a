namespace Berth.Cli.Terminal;

/// <summary>docker's detach key sequence ("ctrl-p,ctrl-q" by default) and the stdin filter that spots it (term.NewEscapeProxy).</summary>
internal sealed class DetachKeys
{
    public const string Default = "ctrl-p,ctrl-q";

    private readonly byte[] _keys;
    private int _matched;

    public DetachKeys(byte[] keys) => _keys = keys;

    public IReadOnlyList<byte> Keys => _keys;

    /// <summary>Parses "ctrl-p,ctrl-q", "a,ctrl-@" and similar.</summary>
    public static DetachKeys Parse(string? spec)
    {
        spec = string.IsNullOrEmpty(spec) ? Default : spec;
        var keys = new List<byte>();
        foreach (string key in spec.Split(','))
        {
            string k = key.Trim().ToLowerInvariant();
            if (k.Length == 1)
            {
                keys.Add((byte)k[0]);
            }
            else if (k.StartsWith("ctrl-", StringComparison.Ordinal) && k.Length == 6)
            {
                char c = k[5];
                keys.Add(c switch
                {
                    >= 'a' and <= 'z' => (byte)(c - 'a' + 1),
                    '@' => 0,
                    '[' => 27,
                    '\\' => 28,
                    ']' => 29,
                    '^' => 30,
                    '_' => 31,
                    _ => throw new UsageException($"invalid detach keys ({spec}) provided"),
                });
            }
            else
            {
                throw new UsageException($"invalid detach keys ({spec}) provided");
            }
        }

        return new DetachKeys([.. keys]);
    }

    /// <summary>
    /// Filters one read: returns how many bytes to forward, and whether the full sequence was typed. A partial match
    /// is held back; if the next byte breaks it, the held bytes are forwarded first (into <paramref name="forward"/>).
    /// </summary>
    public (int Count, bool Detach) Filter(ReadOnlySpan<byte> input, Span<byte> forward)
    {
        int n = 0;
        foreach (byte b in input)
        {
            if (b == _keys[_matched])
            {
                _matched++;
                if (_matched == _keys.Length)
                {
                    _matched = 0;
                    return (n, true);
                }

                continue;
            }

            for (int i = 0; i < _matched; i++)
            {
                forward[n++] = _keys[i];
            }

            _matched = 0;
            if (b == _keys[0])
            {
                _matched = 1;
                continue;
            }

            forward[n++] = b;
        }

        return (n, false);
    }
}
