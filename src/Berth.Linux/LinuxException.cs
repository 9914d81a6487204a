using Berth.Core.Errors;

namespace Berth.Linux;

/// <summary>A failed system call, named with its path like crun does: <c>mount proc on "/proc": Operation not permitted</c>.</summary>
public sealed class LinuxException : BerthException
{
    public LinuxException(Errno errno, string operation, string? path = null)
        : base(KindOf(errno), Format(errno, operation, path))
    {
        Errno = errno;
        Operation = operation;
        Path = path;
    }

    public LinuxException() : this(Errno.None, "unknown") { }

    public LinuxException(string message) : base(ErrorKind.Internal, message) => Operation = "unknown";

    public LinuxException(string message, Exception inner) : base(ErrorKind.Internal, message, inner) => Operation = "unknown";

    public Errno Errno { get; }

    public string Operation { get; }

    public string? Path { get; }

    private static string Format(Errno errno, string operation, string? path) =>
        path is null ? $"{operation}: {ErrnoText.Of(errno)}" : $"{operation} \"{path}\": {ErrnoText.Of(errno)}";

    private static ErrorKind KindOf(Errno errno) => errno switch
    {
        Errno.ENOENT or Errno.ESRCH => ErrorKind.NotFound,
        Errno.EEXIST => ErrorKind.AlreadyExists,
        Errno.EBUSY => ErrorKind.Conflict,
        Errno.EPERM or Errno.EACCES or Errno.EROFS => ErrorKind.PermissionDenied,
        Errno.EINVAL or Errno.ENOTDIR or Errno.ELOOP or Errno.ENAMETOOLONG => ErrorKind.InvalidArgument,
        Errno.ENOSYS or Errno.EOPNOTSUPP => ErrorKind.NotImplemented,
        _ => ErrorKind.Internal,
    };
}
