using Berth.Core.Errors;
using Berth.Linux;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Spec;

public sealed class NamespaceTypesTests
{
    [Theory]
    [InlineData("pid", NamespaceFlags.Pid)]
    [InlineData("network", NamespaceFlags.Network)]
    [InlineData("mount", NamespaceFlags.Mount)]
    [InlineData("ipc", NamespaceFlags.Ipc)]
    [InlineData("uts", NamespaceFlags.Uts)]
    [InlineData("user", NamespaceFlags.User)]
    [InlineData("cgroup", NamespaceFlags.Cgroup)]
    [InlineData("time", NamespaceFlags.Time)]
    public void Names_map_to_flags_and_back(string name, NamespaceFlags flag)
    {
        Assert.Equal(flag, NamespaceTypes.Parse(name));
        Assert.Equal(name, NamespaceTypes.Name(flag));
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("PID")]
    [InlineData("net")]
    [InlineData("")]
    public void Unknown_names_are_invalid_arguments(string name)
    {
        var ex = Assert.Throws<BerthException>(() => NamespaceTypes.Parse(name));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"\"{name}\" is not a namespace type (pid, network, mount, ipc, uts, user, cgroup, time)", ex.Message);
    }

    [Fact]
    public void Name_of_a_combination_is_an_argument_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NamespaceTypes.Name(NamespaceFlags.Pid | NamespaceFlags.Uts));
    }

    [Fact]
    public void All_lists_eight_types()
    {
        Assert.Equal(8, NamespaceTypes.All.Count);
        Assert.Equal(NamespaceTypes.All.Count, NamespaceTypes.All.Distinct().Count());
    }
}
