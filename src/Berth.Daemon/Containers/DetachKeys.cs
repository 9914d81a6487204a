using Berth.Core.Errors;

namespace Berth.Daemon.Containers;

/// <summary>Docker's detach key spec ("ctrl-p,ctrl-q", "ctrl-a,x") as the bytes that end an attach.</summary>
internal static class DetachKeys
{
    public const string Default = "ctrl-p,ctrl-q";

    public static byte[] Parse(string? spec)
    {
        if (string.IsNullOrEmpty(spec))
            spec = Default;
        List<byte> keys = [];
        foreach (string key in spec.Split(','))
        {
            if (key.Length == 1 && key[0] < 0x80)
            {
                keys.Add((byte)key[0]);
            }
            else if (key.StartsWith("ctrl-", StringComparison.Ordinal) && key.Length == 6)
            {
                char c = key[5];
                // ctrl-a … ctrl-z are 1 … 26; ctrl-@ [ \ ] ^ _ are 0 and 27 … 31.
                if (c is >= 'a' and <= 'z')
                    keys.Add((byte)(c - 'a' + 1));
                else if (c is '@' or '[' or '\\' or ']' or '^' or '_')
                    keys.Add((byte)(c - '@'));
                else
                    throw Invalid(spec);
            }
            else
            {
                throw Invalid(spec);
            }
        }
        return [.. keys];
    }

    private static BerthException Invalid(string spec) => Errors.InvalidArgument($"Invalid detach keys ({spec}) provided");
}
