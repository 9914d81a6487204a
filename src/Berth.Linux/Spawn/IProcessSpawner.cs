namespace Berth.Linux.Spawn;

/// <summary>Starts a process in new namespaces without running managed code between clone and execve.</summary>
public interface IProcessSpawner
{
    /// <summary>
    /// Returns once the child has exec'd. Throws <see cref="LinuxException"/> when clone, setns or execve
    /// failed, after reaping the child.
    /// </summary>
    SpawnedProcess Spawn(SpawnOptions options);
}
