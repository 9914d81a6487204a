using System.Runtime.InteropServices;

namespace Berth.Core.Images;

/// <summary>
/// An image platform, <c>os/architecture[/variant]</c>, in the normalized form containerd's <c>platforms</c> package
/// uses, so <c>linux/aarch64</c>, <c>linux/arm64/v8</c> and <c>linux/arm64</c> are one platform.
/// </summary>
public sealed record Platform
{
    public Platform(string os, string architecture, string? variant = null)
    {
        ArgumentNullException.ThrowIfNull(os);
        ArgumentNullException.ThrowIfNull(architecture);
        (OS, Architecture, Variant) = Normalize(os, architecture, variant);
    }

    public string OS { get; }

    public string Architecture { get; }

    /// <summary>The CPU variant (<c>v7</c> for arm), or null where the architecture has no meaningful variant.</summary>
    public string? Variant { get; }

    /// <summary>The platform of the machine this process runs on.</summary>
    public static Platform Host { get; } = FromArchitecture(RuntimeInformation.OSArchitecture);

    /// <summary>Parses <c>os[/arch[/variant]]</c> as <c>docker --platform</c> does; a lone OS gets the host architecture.</summary>
    public static Platform Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string[] parts = value.Split('/');
        if (parts.Length > 3 || parts.Any(p => p.Length == 0 || !p.All(IsSpecifierChar)))
        {
            throw Errors.Errors.InvalidArgument($"\"{value}\": unknown operating system or architecture: invalid argument");
        }

        return parts.Length switch
        {
            1 => new Platform(parts[0], Host.Architecture, Host.Variant),
            2 => new Platform(parts[0], parts[1]),
            _ => new Platform(parts[0], parts[1], parts[2]),
        };
    }

    /// <summary>Whether an index entry for <paramref name="other"/> can run here: same OS and architecture, and
    /// the same variant when both name one.</summary>
    public bool Matches(Platform other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return OS == other.OS && Architecture == other.Architecture &&
               (Variant is null || other.Variant is null || Variant == other.Variant);
    }

    public override string ToString() => Variant is null ? $"{OS}/{Architecture}" : $"{OS}/{Architecture}/{Variant}";

    internal static Platform FromArchitecture(Architecture architecture) => architecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => new("linux", "amd64"),
        System.Runtime.InteropServices.Architecture.Arm64 => new("linux", "arm64"),
        System.Runtime.InteropServices.Architecture.Arm => new("linux", "arm", "v7"),
        System.Runtime.InteropServices.Architecture.X86 => new("linux", "386"),
        System.Runtime.InteropServices.Architecture.S390x => new("linux", "s390x"),
        System.Runtime.InteropServices.Architecture.Ppc64le => new("linux", "ppc64le"),
        System.Runtime.InteropServices.Architecture.RiscV64 => new("linux", "riscv64"),
        System.Runtime.InteropServices.Architecture.LoongArch64 => new("linux", "loong64"),
        _ => new("linux", architecture.ToString().ToLowerInvariant()),
    };

    private static bool IsSpecifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    // containerd platforms/database.go normalizeArch: aliases collapse and arm64's baseline variant is dropped,
    // so the host (which never reports v8) matches an index entry that says linux/arm64/v8.
    private static (string Os, string Architecture, string? Variant) Normalize(string os, string architecture, string? variant)
    {
        os = os.ToLowerInvariant() switch { "macos" => "darwin", var o => o };
        architecture = architecture.ToLowerInvariant();
        variant = string.IsNullOrEmpty(variant) ? null : variant.ToLowerInvariant();
        switch (architecture)
        {
            case "i386":
                return (os, "386", null);
            case "x86_64" or "x86-64" or "amd64":
                return (os, "amd64", variant == "v1" ? null : variant);
            case "aarch64" or "arm64":
                return (os, "arm64", variant switch { "8" or "v8" or "v8.0" => null, "9" or "9.0" or "v9.0" => "v9", _ => variant });
            case "armhf":
                return (os, "arm", "v7");
            case "armel":
                return (os, "arm", "v6");
            case "arm":
                return (os, "arm", variant switch { null or "7" => "v7", "5" or "6" or "8" => "v" + variant, _ => variant });
            default:
                return (os, architecture, variant);
        }
    }
}
