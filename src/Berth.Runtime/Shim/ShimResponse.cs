using Berth.Core.Errors;

namespace Berth.Runtime.Shim;

/// <summary>The reply to a <see cref="ShimRequest"/>: an error, or the process's state.</summary>
internal sealed class ShimResponse
{
    public ErrorKind? ErrorKind { get; set; }

    public string? Error { get; set; }

    public ShimState? State { get; set; }

    public static ShimResponse Failure(Exception ex) => new() { ErrorKind = BerthException.KindOf(ex), Error = ex.Message };
}
