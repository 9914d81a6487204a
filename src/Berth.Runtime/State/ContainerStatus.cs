namespace Berth.Runtime.State;

public enum ContainerStatus
{
    Creating,
    Created,
    Running,
    Paused,
    Stopped,
}
