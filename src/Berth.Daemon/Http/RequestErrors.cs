using Berth.Core.Errors;

namespace Berth.Daemon.Http;

/// <summary>Factory for the 400s of request parsing, worded as moby words them.</summary>
internal static class RequestErrors
{
    public static BerthException InvalidJson(string detail) => Errors.InvalidArgument($"invalid JSON: {detail}");

    public static BerthException EmptyBody() => Errors.InvalidArgument("invalid JSON: got EOF while reading request body");

    public static BerthException InvalidBool(string name, string value) =>
        Errors.InvalidArgument($"invalid value for {name}: strconv.ParseBool: parsing \"{value}\": invalid syntax");

    public static BerthException InvalidInt(string name, string value) =>
        Errors.InvalidArgument($"invalid value for {name}: strconv.Atoi: parsing \"{value}\": invalid syntax");
}
