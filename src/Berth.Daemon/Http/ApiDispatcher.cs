using System.Text.Json;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Connections;

namespace Berth.Daemon.Http;

/// <summary>
/// The request pipeline: strips and checks the <c>/v1.NN</c> prefix, finds the route, runs it, and turns any failure
/// into Docker's <c>{"message"}</c> reply through the one kind → status table. A failure after the response started
/// aborts the connection (the client sees a truncated stream, as with moby). Nothing a client sends stops the daemon.
/// </summary>
internal sealed class ApiDispatcher(ApiRouteTable routes, ILogger<ApiDispatcher> logger, CancellationToken stopping)
{
    public async Task InvokeAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        ApiVersion version = ApiVersion.Maximum;

        // moby's version middleware: every reply names the server and the API it speaks.
        IHeaderDictionary headers = context.Response.Headers;
        headers.Server = DaemonIdentity.ServerHeader;
        headers["Api-Version"] = Berth.Api.ApiVersions.Maximum;
        headers["Ostype"] = "linux";

        // Streams end when the client leaves or the daemon shuts down.
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            if (TrySplitVersion(path, out string? versionText, out string rest))
            {
                path = rest;
                if (!ApiVersion.TryParse(versionText, out version))
                {
                    throw Errors.NotFound("page not found");
                }

                CheckSupported(version);
            }

            var match = routes.Match(context.Request.Method, path) ?? throw Errors.NotFound("page not found");
            await match.Route.Handler(new ApiRequest(context, match.Values, version, aborted.Token));
        }
        catch (Exception ex) when (aborted.IsCancellationRequested && ex is OperationCanceledException or ConnectionResetException or IOException)
        {
            // The client went away: there is nobody to answer.
            DaemonLog.ClientGone(logger, context.Request.Method, path);
        }
        catch (Exception ex)
        {
            (int status, string message) = Classify(ex);
            if (status >= 500)
            {
                DaemonLog.RequestFailed(logger, context.Request.Method, path, status, ex);
            }
            else
            {
                DaemonLog.RequestRejected(logger, context.Request.Method, path, status, message);
            }

            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }

            context.Response.Clear();
            await ApiRequest.WriteErrorAsync(context.Response, status, message);
        }
    }

    internal static void CheckSupported(ApiVersion version)
    {
        if (version > ApiVersion.Maximum)
        {
            throw Errors.InvalidArgument($"client version {version} is too new. Maximum supported API version is {ApiVersion.Maximum}");
        }

        if (version < ApiVersion.Minimum)
        {
            throw Errors.InvalidArgument(
                $"client version {version} is too old. Minimum supported API version is {ApiVersion.Minimum}, please upgrade your client to a newer version");
        }
    }

    private static bool TrySplitVersion(string path, out string? version, out string rest)
    {
        version = null;
        rest = path;
        if (!path.StartsWith("/v", StringComparison.Ordinal) || path.Length < 3 || !char.IsAsciiDigit(path[2]))
        {
            return false;
        }

        int slash = path.IndexOf('/', 2);
        version = slash < 0 ? path[2..] : path[2..slash];
        rest = slash < 0 ? "/" : path[slash..];
        return true;
    }

    private static (int Status, string Message) Classify(Exception ex) => ex switch
    {
        BerthException e => (ErrorMapping.ToStatusCode(BerthException.KindOf(e)), e.Message),
        BadHttpRequestException e => (e.StatusCode, e.Message),
        JsonException e => (StatusCodes.Status400BadRequest, $"invalid JSON: {e.Message}"),
        _ => (StatusCodes.Status500InternalServerError, ex.Message),
    };
}
