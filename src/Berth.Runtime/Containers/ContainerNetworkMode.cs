namespace Berth.Runtime.Containers;

/// <summary>The network namespace a container gets: a fresh one holding only loopback, or the host's.</summary>
public enum ContainerNetworkMode
{
    None,
    Host,
}
