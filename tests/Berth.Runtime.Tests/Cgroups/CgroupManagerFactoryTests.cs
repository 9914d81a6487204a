using Berth.Runtime.Cgroups;
using Berth.Testing.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class CgroupManagerFactoryTests
{
    [Fact]
    public void Hybrid_host_is_not_unified()
    {
        using var tree = FakeCgroupTree.CreateV1();
        Assert.False(CgroupManagerFactory.IsUnified(tree.Root));
        Assert.IsType<CgroupV1Manager>(CgroupManagerFactory.Create(tree.Root, "/berth/x"));
    }

    [Fact]
    public void Pure_v2_host_is_unified()
    {
        using var tree = FakeCgroupTree.CreateV2();
        Assert.True(CgroupManagerFactory.IsUnified(tree.Root));
        ICgroupManager manager = CgroupManagerFactory.Create(tree.Root, "/berth//x/");
        Assert.IsType<CgroupV2Manager>(manager);
        Assert.Equal("/berth/x", manager.Path);
    }
}
