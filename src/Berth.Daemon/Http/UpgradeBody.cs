using Microsoft.AspNetCore.Connections;

namespace Berth.Daemon.Http;

/// <summary>Placeholder until the upgrade-body experiment is done.</summary>
internal static class UpgradeBody
{
    public static ConnectionDelegate ConnectionMiddleware(ConnectionDelegate next) => next;

    public static Stream Prepend(HttpContext context, Stream upgraded) => upgraded;
}
