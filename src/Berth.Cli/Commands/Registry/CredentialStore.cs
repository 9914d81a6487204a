using System.Text.Json.Nodes;

namespace Berth.Cli.Commands.Registry;

/// <summary>Credentials in docker's config.json ("auths": {server: {"auth": base64(user:password)}}), which the daemon's registry client also reads.</summary>
internal static class CredentialStore
{
    public const string DefaultServer = "https://index.docker.io/v1/";

    public static string ConfigPath(Func<string, string?> environment) =>
        Path.Combine(environment("DOCKER_CONFIG") ?? Path.Combine(environment("HOME") ?? "/root", ".docker"), "config.json");

    public static void Save(string path, string server, string user, string password) =>
        Update(path, auths => auths[server] = new JsonObject { ["auth"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + ":" + password)) });

    public static bool Remove(string path, string server)
    {
        bool removed = false;
        if (File.Exists(path))
        {
            Update(path, auths => removed = auths.Remove(server));
        }

        return removed;
    }

    private static void Update(string path, Action<JsonObject> change)
    {
        JsonObject root = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [] : [];
        if (root["auths"] is not JsonObject auths)
        {
            auths = [];
            root["auths"] = auths;
        }

        change(auths);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = path + ".berth-tmp";
        File.WriteAllText(temp, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine() }));
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
    }
}
