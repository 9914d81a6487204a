namespace Berth.Daemon.Hosting;

/// <summary>The engine's stable ID (Info.ID), kept in &lt;data-root&gt;/engine-id like dockerd's.</summary>
internal static class EngineId
{
    public static string LoadOrCreate(string dataRoot)
    {
        string path = Path.Combine(dataRoot, "engine-id");
        try
        {
            if (File.Exists(path))
            {
                string existing = File.ReadAllText(path).Trim();
                if (existing.Length > 0)
                {
                    return existing;
                }
            }

            Directory.CreateDirectory(dataRoot);
            string id = Guid.NewGuid().ToString();
            string temp = path + ".tmp";
            File.WriteAllText(temp, id);
            File.Move(temp, path, overwrite: true);
            return id;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only or foreign data root must not stop the daemon; the ID is then per run.
            return Guid.NewGuid().ToString();
        }
    }
}
