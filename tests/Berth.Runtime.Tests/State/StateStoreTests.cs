using Berth.Core.Errors;
using Berth.Runtime.State;

namespace Berth.Runtime.Tests.State;

public sealed class StateStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-state-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_saved_state_reads_back_in_this_process_and_from_the_file_in_another()
    {
        var store = new StateStore(_root);
        store.Reserve("c1");
        var state = new ContainerState { Id = "c1", Pid = 42, StartTime = 7, Bundle = "/b", Rootfs = "/b/rootfs", CgroupPath = "/berth/c1" };

        store.Save(state);

        Assert.Same(state, store.Load("c1"));
        ContainerState fromFile = new StateStore(_root).Load("c1");
        Assert.Equal((42, 7UL, "/b", "/b/rootfs", "/berth/c1"), (fromFile.Pid, fromFile.StartTime, fromFile.Bundle, fromFile.Rootfs, fromFile.CgroupPath));
    }

    [Fact]
    public void A_state_removed_here_or_by_another_process_is_not_found()
    {
        var store = new StateStore(_root);
        foreach (string id in new[] { "here", "elsewhere" })
        {
            store.Reserve(id);
            store.Save(new ContainerState { Id = id, Pid = 1 });
        }

        store.Remove("here");
        new StateStore(_root).Remove("elsewhere");

        Assert.Equal(ErrorKind.NotFound, Assert.Throws<BerthException>(() => store.Load("here")).Kind);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<BerthException>(() => store.Load("elsewhere")).Kind);
    }
}
