using Berth.Core.Errors;
using Berth.Runtime.Init;

namespace Berth.Runtime.Tests.Init;

public sealed class SecurePathTests
{
    private const string Root = "/var/lib/berth/rootfs";

    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    [Theory]
    [InlineData("", Root)]
    [InlineData("/", Root)]
    [InlineData("etc/passwd", Root + "/etc/passwd")]
    [InlineData("/etc/passwd", Root + "/etc/passwd")]
    [InlineData("//etc//./passwd/", Root + "/etc/passwd")]
    [InlineData("a/b/../c", Root + "/a/c")]
    public void Plain_paths_are_cleaned_and_joined(string path, string expected)
    {
        Assert.Equal(expected, Join(path));
    }

    [Theory]
    [InlineData("../../../etc/shadow")]
    [InlineData("/../../../etc/shadow")]
    [InlineData("a/../../../../etc/shadow")]
    public void Dot_dot_never_climbs_above_the_root(string path)
    {
        Assert.Equal(Root + "/etc/shadow", Join(path));
    }

    [Fact]
    public void Absolute_symlink_restarts_at_the_root()
    {
        Link("/etc/localtime", "/usr/share/zoneinfo/UTC");

        Assert.Equal(Root + "/usr/share/zoneinfo/UTC", Join("/etc/localtime"));
    }

    [Fact]
    public void Absolute_symlink_to_host_path_stays_inside()
    {
        Link("/evil", "/etc");

        Assert.Equal(Root + "/etc/shadow", Join("/evil/shadow"));
    }

    [Fact]
    public void Relative_symlink_with_dot_dots_cannot_escape()
    {
        Link("/a/b/escape", "../../../../../../etc");

        Assert.Equal(Root + "/etc/passwd", Join("/a/b/escape/passwd"));
    }

    [Fact]
    public void Relative_symlink_resolves_from_its_directory()
    {
        Link("/usr/lib/libfoo.so", "libfoo.so.1");
        Link("/usr/lib/libfoo.so.1", "../lib64/libfoo.so.1.2");

        Assert.Equal(Root + "/usr/lib64/libfoo.so.1.2", Join("/usr/lib/libfoo.so"));
    }

    [Fact]
    public void Symlinked_directory_in_the_middle_is_followed()
    {
        Link("/var/run", "../run");

        Assert.Equal(Root + "/run/docker.sock", Join("/var/run/docker.sock"));
    }

    [Fact]
    public void Dot_dot_after_a_symlink_applies_to_the_target()
    {
        // Unlike lexical cleaning, /lib/.. is the parent of the link target, as the kernel would see it.
        Link("/lib", "/usr/lib");

        Assert.Equal(Root + "/usr/bin", Join("/lib/../bin"));
    }

    [Fact]
    public void Chain_of_links_is_followed()
    {
        Link("/l1", "/l2");
        Link("/l2", "l3");
        Link("/l3", "/target/dir");

        Assert.Equal(Root + "/target/dir/file", Join("/l1/file"));
    }

    [Fact]
    public void Link_loop_fails_with_eloop_naming_the_path()
    {
        Link("/loop1", "/loop2");
        Link("/loop2", "loop1");

        var ex = Assert.Throws<BerthException>(() => Join("/loop1/x"));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("\"/loop1/x\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("too many levels of symbolic links", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Self_link_fails()
    {
        Link("/self", "self");

        Assert.Throws<BerthException>(() => Join("/self"));
    }

    [Fact]
    public void Up_to_255_expansions_are_allowed()
    {
        for (int i = 0; i < SecurePath.MaxLinkExpansions; i++)
        {
            Link($"/l{i}", $"/l{i + 1}");
        }

        Assert.Equal(Root + $"/l{SecurePath.MaxLinkExpansions}", Join("/l0"));

        Link($"/l{SecurePath.MaxLinkExpansions}", "/end");
        Assert.Throws<BerthException>(() => Join("/l0"));
    }

    [Fact]
    public void Missing_trailing_components_are_appended()
    {
        Link("/data", "/srv/data");

        Assert.Equal(Root + "/srv/data/new/dir", Join("/data/new/dir"));
    }

    [Fact]
    public void Link_to_root_resolves_to_the_root()
    {
        Link("/up", "..");
        Link("/slash", "/");

        Assert.Equal(Root, Join("/up"));
        Assert.Equal(Root + "/etc", Join("/slash/up/slash/etc"));
    }

    [Fact]
    public void ReadLink_sees_host_paths()
    {
        var asked = new List<string>();

        SecurePath.Join(Root, "a/b", p => { asked.Add(p); return null; });

        Assert.Equal([Root + "/a", Root + "/a/b"], asked);
    }

    [Fact]
    public void Root_itself_is_cleaned()
    {
        Assert.Equal("/r/etc", SecurePath.Join("/r//x/../", "etc", _ => null));
        Assert.Equal("/etc", SecurePath.Join("/", "../etc", _ => null));
        Assert.Equal("/", SecurePath.Join("/", "", _ => null));
    }

    private void Link(string containerPath, string target) => _links[Root + containerPath] = target;

    private string Join(string path) => SecurePath.Join(Root, path, p => _links.GetValueOrDefault(p));
}
