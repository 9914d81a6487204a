namespace Berth.Api;

/// <summary>The Docker Engine API versions Berth speaks (engine 28.2 = API 1.50).</summary>
public static class ApiVersions
{
    public const string Minimum = "1.40";
    public const string Maximum = "1.50";

    /// <summary>The engine release whose API we implement, reported as the server version's Docker equivalent.</summary>
    public const string EquivalentEngine = "28.2.2";
}
