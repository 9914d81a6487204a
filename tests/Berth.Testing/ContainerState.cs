using System.Text.Json.Nodes;

namespace Berth.Testing;

/// <summary>The runtime-spec state document printed by <c>state ID</c>.</summary>
public sealed record ContainerState(string Id, string Status, int Pid, string Bundle, string Json)
{
    public static ContainerState Parse(string json)
    {
        JsonNode node = JsonNode.Parse(json) ?? throw new FormatException($"state is not JSON: {json}");
        return new ContainerState(
            (string?)node["id"] ?? "",
            (string?)node["status"] ?? "",
            (int?)node["pid"] ?? 0,
            (string?)node["bundle"] ?? "",
            json);
    }
}
