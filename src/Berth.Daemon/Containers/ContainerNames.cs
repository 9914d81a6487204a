using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Berth.Core.Errors;

namespace Berth.Daemon.Containers;

/// <summary>Container IDs and names as Docker makes and checks them.</summary>
public static partial class ContainerNames
{
    private static readonly string[] Adjectives =
    [
        "admiring", "agile", "amazing", "bold", "brave", "busy", "calm", "clever", "cool", "crisp", "dazzling",
        "eager", "elastic", "epic", "fervent", "festive", "focused", "friendly", "gallant", "gentle", "happy",
        "hopeful", "jolly", "keen", "kind", "lucid", "modest", "nifty", "noble", "optimistic", "pensive", "quirky",
        "relaxed", "serene", "sharp", "stoic", "sweet", "tender", "trusting", "upbeat", "vibrant", "wizardly", "zen",
    ];

    // Sailors, shipwrights and harbour people, to go with a name like Berth.
    private static readonly string[] Surnames =
    [
        "anson", "baffin", "beaufort", "bligh", "cabot", "cartier", "cook", "dampier", "drake", "flinders",
        "frobisher", "gama", "hudson", "jansz", "kupe", "magellan", "nansen", "noether", "pytheas", "ross", "shackleton",
        "slocum", "tasman", "vancouver", "vespucci", "zheng",
    ];

    /// <summary>64 lowercase hex digits; never all-numeric in its short form, so a short ID never reads as a number.</summary>
    public static string NewId()
    {
        while (true)
        {
            string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            if (!id[..12].All(char.IsAsciiDigit))
                return id;
        }
    }

    /// <summary>"adjective_surname", with a digit appended when <paramref name="taken"/> says it is in use.</summary>
    public static string Generate(Func<string, bool> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        for (int attempt = 0; ; attempt++)
        {
            string name = $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]}_{Surnames[RandomNumberGenerator.GetInt32(Surnames.Length)]}";
            if (attempt > 3)
                name += RandomNumberGenerator.GetInt32(10);
            if (!taken(name))
                return name;
        }
    }

    /// <summary>The name without Docker's leading slash; refuses what Docker refuses.</summary>
    public static string Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string bare = name.StartsWith('/') ? name[1..] : name;
        if (!ValidName().IsMatch(bare))
            throw Errors.InvalidArgument($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        return bare;
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex ValidName();
}
