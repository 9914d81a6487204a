namespace Berth.Runtime.Shim;

/// <summary>How <see cref="ShimClient.LaunchAsync"/> starts a shim: its flags plus the binary to run.</summary>
public sealed record ShimLaunchOptions
{
    /// <summary>The berth-runtime binary (the shim is its <c>shim</c> mode).</summary>
    public required string RuntimeBinary { get; init; }

    public required ShimOptions Shim { get; init; }

    /// <summary>
    /// Environment for the shim process. The defaults keep its GC small (a shim per container must stay a few MiB):
    /// a 256 KiB gen0 budget and no GC heap affinity/regions beyond what one thread needs.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = DefaultEnvironment;

    public static IReadOnlyDictionary<string, string> DefaultEnvironment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DOTNET_GCgen0size"] = "0x40000",
        ["DOTNET_GCHeapHardLimit"] = "0x4000000",
    };
}
