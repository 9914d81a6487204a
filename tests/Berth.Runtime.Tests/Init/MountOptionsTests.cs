using Berth.Core.Errors;
using Berth.Linux;
using Berth.Runtime.Init;

namespace Berth.Runtime.Tests.Init;

public sealed class MountOptionsTests
{
    [Theory]
    [InlineData("ro", MountFlags.ReadOnly)]
    [InlineData("nosuid", MountFlags.NoSuid)]
    [InlineData("nodev", MountFlags.NoDev)]
    [InlineData("noexec", MountFlags.NoExec)]
    [InlineData("sync", MountFlags.Synchronous)]
    [InlineData("dirsync", MountFlags.DirSync)]
    [InlineData("remount", MountFlags.Remount)]
    [InlineData("mand", MountFlags.MandLock)]
    [InlineData("noatime", MountFlags.NoAtime)]
    [InlineData("nodiratime", MountFlags.NoDirAtime)]
    [InlineData("relatime", MountFlags.RelAtime)]
    [InlineData("strictatime", MountFlags.StrictAtime)]
    [InlineData("nosymfollow", MountFlags.NoSymFollow)]
    [InlineData("lazytime", MountFlags.LazyTime)]
    [InlineData("silent", MountFlags.Silent)]
    public void Setting_options_set_their_flag(string option, MountFlags flag)
    {
        ParsedMountOptions parsed = MountOptions.Parse([option]);

        Assert.Equal(flag, parsed.Flags);
        Assert.Equal(MountFlags.None, parsed.Propagation);
        Assert.Null(parsed.Data);
        Assert.False(parsed.Bind);
    }

    [Theory]
    [InlineData("ro", "rw")]
    [InlineData("nosuid", "suid")]
    [InlineData("nodev", "dev")]
    [InlineData("noexec", "exec")]
    [InlineData("sync", "async")]
    [InlineData("mand", "nomand")]
    [InlineData("noatime", "atime")]
    [InlineData("nodiratime", "diratime")]
    [InlineData("relatime", "norelatime")]
    [InlineData("strictatime", "nostrictatime")]
    [InlineData("nosymfollow", "symfollow")]
    [InlineData("lazytime", "nolazytime")]
    [InlineData("silent", "loud")]
    public void Clearing_option_undoes_an_earlier_setting_one(string set, string clear)
    {
        Assert.Equal(MountFlags.None, MountOptions.Parse([set, clear]).Flags);
        Assert.NotEqual(MountFlags.None, MountOptions.Parse([clear, set]).Flags);
    }

    [Fact]
    public void Runc_dev_pts_options_split_into_flags_and_data()
    {
        ParsedMountOptions parsed = MountOptions.Parse(["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]);

        Assert.Equal(MountFlags.NoSuid | MountFlags.NoExec, parsed.Flags);
        Assert.Equal("newinstance,ptmxmode=0666,mode=0620,gid=5", parsed.Data);
    }

    [Fact]
    public void Runc_dev_options_split_into_flags_and_data()
    {
        ParsedMountOptions parsed = MountOptions.Parse(["nosuid", "strictatime", "mode=755", "size=65536k"]);

        Assert.Equal(MountFlags.NoSuid | MountFlags.StrictAtime, parsed.Flags);
        Assert.Equal("mode=755,size=65536k", parsed.Data);
    }

    [Fact]
    public void Bind_sets_the_bind_flag()
    {
        ParsedMountOptions parsed = MountOptions.Parse(["bind", "ro"]);

        Assert.True(parsed.Bind);
        Assert.False(parsed.Recursive);
        Assert.Equal(MountFlags.Bind | MountFlags.ReadOnly, parsed.Flags);
    }

    [Fact]
    public void Rbind_is_a_recursive_bind()
    {
        ParsedMountOptions parsed = MountOptions.Parse(["rbind", "nosuid"]);

        Assert.True(parsed.Bind);
        Assert.True(parsed.Recursive);
        Assert.Equal(MountFlags.Bind | MountFlags.Recursive | MountFlags.NoSuid, parsed.Flags);
    }

    [Theory]
    [InlineData("private", MountFlags.Private)]
    [InlineData("rprivate", MountFlags.Private | MountFlags.Recursive)]
    [InlineData("shared", MountFlags.Shared)]
    [InlineData("rshared", MountFlags.Shared | MountFlags.Recursive)]
    [InlineData("slave", MountFlags.Slave)]
    [InlineData("rslave", MountFlags.Slave | MountFlags.Recursive)]
    [InlineData("unbindable", MountFlags.Unbindable)]
    [InlineData("runbindable", MountFlags.Unbindable | MountFlags.Recursive)]
    public void Propagation_options_go_to_propagation(string option, MountFlags expected)
    {
        ParsedMountOptions parsed = MountOptions.Parse(["bind", option]);

        Assert.Equal(expected, parsed.Propagation);
        Assert.Equal(MountFlags.Bind, parsed.Flags);
        Assert.False(parsed.Recursive);
    }

    [Fact]
    public void Last_propagation_option_wins()
    {
        Assert.Equal(MountFlags.Slave, MountOptions.Parse(["rshared", "slave"]).Propagation);
    }

    [Fact]
    public void Recursive_attributes_are_kept_apart_from_the_mount_flags()
    {
        ParsedMountOptions parsed = MountOptions.Parse(["rbind", "rro", "rnosuid", "rexec", "rnoexec", "rsuid"]);

        Assert.Equal(MountFlags.Bind | MountFlags.Recursive, parsed.Flags);
        Assert.Equal(MountFlags.ReadOnly | MountFlags.NoExec, parsed.RecursiveSet);
        Assert.Equal(MountFlags.NoSuid, parsed.RecursiveClear);
        Assert.Null(parsed.Data);
    }

    [Theory]
    [InlineData("defaults")]
    [InlineData("tmpcopyup")]
    public void Ignored_options_change_nothing(string option)
    {
        Assert.Equal(new ParsedMountOptions(MountFlags.None, MountFlags.None, null, false, false), MountOptions.Parse([option]));
    }

    [Theory]
    [InlineData("idmap")]
    [InlineData("ridmap")]
    public void Idmapped_mounts_are_not_implemented(string option)
    {
        var ex = Assert.Throws<BerthException>(() => MountOptions.Parse(["bind", option]));

        Assert.Equal(ErrorKind.NotImplemented, ex.Kind);
        Assert.Contains($"\"{option}\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_and_empty_options_are_nothing()
    {
        var nothing = new ParsedMountOptions(MountFlags.None, MountFlags.None, null, false, false);

        Assert.Equal(nothing, MountOptions.Parse(null));
        Assert.Equal(nothing, MountOptions.Parse([]));
    }

    [Fact]
    public void Unknown_options_keep_their_order_in_data()
    {
        Assert.Equal("uid=1000,size=1m,mode=1777", MountOptions.Parse(["uid=1000", "ro", "size=1m", "mode=1777"]).Data);
    }
}
