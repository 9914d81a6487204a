using Berth.Core.Errors;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class CgroupPathsTests
{
    [Theory]
    [InlineData(null, "/berth/abc")]
    [InlineData("", "/berth/abc")]
    [InlineData("/a/b", "/a/b")]
    [InlineData("/a//b/", "/a/b")]
    [InlineData("a/b", "/a/b")]
    [InlineData("./a/./b", "/a/b")]
    public void Plain_paths_land_below_the_root(string? cgroupsPath, string expected) =>
        Assert.Equal(expected, CgroupPaths.Resolve(cgroupsPath, "abc"));

    [Theory]
    [InlineData("system.slice:docker:abc", "/system.slice/docker-abc.scope")]
    [InlineData("machine-berth.slice:berth:abc", "/machine.slice/machine-berth.slice/berth-abc.scope")]
    [InlineData("a-b-c.slice:p:n", "/a.slice/a-b.slice/a-b-c.slice/p-n.scope")]
    [InlineData("-.slice:p:n", "/p-n.scope")]
    [InlineData(":p:n", "/system.slice/p-n.scope")]
    [InlineData("user.slice::n", "/user.slice/n.scope")]
    [InlineData("user.slice:p:inner.slice", "/user.slice/inner.slice")]
    public void Systemd_form_expands_the_slice_and_names_a_scope(string cgroupsPath, string expected) =>
        Assert.Equal(expected, CgroupPaths.Resolve(cgroupsPath, "abc"));

    [Theory]
    [InlineData("/a/../b")]
    [InlineData("../escape")]
    [InlineData("/..")]
    [InlineData("/")]
    [InlineData("bad:p:n")]
    [InlineData("a--b.slice:p:n")]
    [InlineData("-a.slice:p:n")]
    [InlineData("system.slice:p:")]
    public void Escaping_or_malformed_paths_are_rejected(string cgroupsPath)
    {
        var ex = Assert.Throws<BerthException>(() => CgroupPaths.Resolve(cgroupsPath, "abc"));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void Dot_dot_rejection_names_the_path()
    {
        var ex = Assert.Throws<BerthException>(() => CgroupPaths.Resolve("/berth/../../etc", "abc"));
        Assert.Contains("\"..\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/berth/../../etc", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    public void A_container_id_that_is_not_one_component_is_rejected(string id) =>
        Assert.Throws<BerthException>(() => CgroupPaths.Resolve(null, id));

    [Fact]
    public void Managers_reject_relative_paths()
    {
        using var tree = Berth.Testing.Cgroups.FakeCgroupTree.CreateV2();
        Assert.Throws<BerthException>(() => tree.CreateManager("relative/path"));
        Assert.Throws<BerthException>(() => tree.CreateManager("/a/../b"));
    }
}
