namespace Berth.Runtime.Shim;

/// <summary>How <see cref="ShimClient.LaunchAsync"/> starts a shim: its flags plus the binary to run.</summary>
public sealed record ShimLaunchOptions
{
    /// <summary>The berth-runtime binary (the shim is its <c>shim</c> mode).</summary>
    public required string RuntimeBinary { get; init; }

    public required ShimOptions Shim { get; init; }

    /// <summary>
    /// Environment for the shim process. The default asks for a 256 KiB gen0 budget so a long-lived shim collects early
    /// rather than growing its heap under attach traffic. (Measured idle, it changes nothing: the shim's RSS is the
    /// binary's code and data pages plus ~3.5 MB anonymous, not GC heap.)
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = DefaultEnvironment;

    public static IReadOnlyDictionary<string, string> DefaultEnvironment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DOTNET_GCgen0size"] = "0x40000",
    };
}
