using System.Globalization;
using Berth.Core.Errors;

namespace Berth.Runtime.Cgroups;

/// <summary>Conversions from spec values to control-file text that both versions share or that v2 defines.</summary>
internal static class CgroupValues
{
    public const string Max = "max";

    /// <summary>pids.max: 0 and -1 both mean unlimited in the spec.</summary>
    public static string PidsMax(long limit) => limit switch
    {
        0 or -1 => Max,
        > 0 => limit.ToString(CultureInfo.InvariantCulture),
        _ => throw Errors.InvalidArgument($"pids limit {limit} is invalid"),
    };

    /// <summary>
    /// v1 cpu.shares (2..262144, default 1024) to v2 cpu.weight (1..10000, default 100), the linear map
    /// runc and crun use so a container gets the same share on either version. 0 means unset.
    /// </summary>
    public static ulong SharesToWeight(ulong shares)
    {
        if (shares == 0)
        {
            return 0;
        }

        // The kernel clamps v1 shares to this range; clamping here keeps the arithmetic from underflowing.
        ulong clamped = Math.Clamp(shares, 2UL, 262144UL);
        return 1 + ((clamped - 2) * 9999 / 262142);
    }

    /// <summary>
    /// v2 memory.swap.max from the spec's memory+swap total (runc's ConvertMemorySwapToCgroupV2Value).
    /// Returns null when nothing should be written.
    /// </summary>
    public static string? SwapMax(long memory, long memorySwap)
    {
        // Unlimited memory and no explicit swap: make swap unlimited too, matching v1's behaviour.
        if (memory == -1 && memorySwap == 0)
        {
            return Max;
        }

        if (memorySwap == 0)
        {
            return null;
        }

        if (memorySwap == -1)
        {
            return Max;
        }

        if (memory is 0 or -1)
        {
            throw Errors.InvalidArgument("a memory+swap limit needs a memory limit");
        }

        if (memorySwap < memory)
        {
            throw Errors.InvalidArgument($"memory+swap limit {memorySwap} must be at least the memory limit {memory}");
        }

        return (memorySwap - memory).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A byte count where -1 means unlimited ("max"); null for 0, which the spec uses for unset.</summary>
    public static string? BytesOrMax(long value) => value switch
    {
        0 => null,
        -1 => Max,
        > 0 => value.ToString(CultureInfo.InvariantCulture),
        _ => throw Errors.InvalidArgument($"memory value {value} is invalid"),
    };
}
