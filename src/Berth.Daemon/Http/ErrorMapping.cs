using Berth.Core.Errors;

namespace Berth.Daemon.Http;

/// <summary>The only ErrorKind → HTTP status table (moby's errdefs → status).</summary>
internal static class ErrorMapping
{
    /// <summary>nginx's "client closed request": logged for cancelled calls, never seen by a client that left.</summary>
    public const int ClientClosedRequest = 499;

    public static int ToStatusCode(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => StatusCodes.Status400BadRequest,
        ErrorKind.PermissionDenied => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.AlreadyExists or ErrorKind.Conflict => StatusCodes.Status409Conflict,

        // moby maps errdefs.ErrNotModified to 304 (start of a started container, stop of a stopped one).
        ErrorKind.NotModified => StatusCodes.Status304NotModified,

        // moby: a precondition the caller can fix ("cannot remove a running container") is a 409 conflict.
        ErrorKind.FailedPrecondition => StatusCodes.Status409Conflict,
        ErrorKind.NotImplemented => StatusCodes.Status501NotImplemented,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.Canceled => ClientClosedRequest,
        _ => StatusCodes.Status500InternalServerError,
    };
}
