namespace Berth.Daemon.Http;

/// <summary>Handles one matched API call; throws BerthException for Docker-shaped error replies.</summary>
internal delegate Task ApiHandler(ApiRequest request);
