using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

public sealed partial class OciRuntime
{
    /// <summary>The runtime-spec state of one container.</summary>
    public OciState State(string id) => ToOciState(store.Load(id));

    /// <summary>Every container under the root, for <c>list</c>.</summary>
    public IReadOnlyList<OciState> List() => [.. store.ListIds().Select(store.Load).Select(ToOciState)];

    private OciState ToOciState(ContainerState state)
    {
        ContainerStatus status = StatusOf(state);
        return new OciState
        {
            Id = state.Id,
            Status = status.ToString().ToLowerInvariant(),
            Pid = status == ContainerStatus.Stopped ? 0 : state.Pid,
            Bundle = state.Bundle,
            Rootfs = state.Rootfs,
            Created = state.Created,
            Owner = "root",
            Annotations = state.Annotations,
        };
    }
}
