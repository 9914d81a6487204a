using Berth.Core.Errors;
using Berth.Core.Images;

namespace Berth.Core.Tests.Images;

public sealed class ImageReferenceTests
{
    private const string Hex = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
    private const string Hex2 = "1234567890098765432112345667890098765432112345667890098765432112";

    // input, canonical ToString(), registry, repository, tag, digest, familiar string
    public static TheoryData<string, string, string, string, string?, string?, string> Valid() => new()
    {
        { "hello-world", "docker.io/library/hello-world:latest", "docker.io", "library/hello-world", "latest", null, "hello-world:latest" },
        { "ubuntu:22.04", "docker.io/library/ubuntu:22.04", "docker.io", "library/ubuntu", "22.04", null, "ubuntu:22.04" },
        { "user/app", "docker.io/user/app:latest", "docker.io", "user/app", "latest", null, "user/app:latest" },
        { "docker.io/library/x", "docker.io/library/x:latest", "docker.io", "library/x", "latest", null, "x:latest" },
        { "docker.io/x", "docker.io/library/x:latest", "docker.io", "library/x", "latest", null, "x:latest" },
        { "index.docker.io/x", "docker.io/library/x:latest", "docker.io", "library/x", "latest", null, "x:latest" },
        { "index.docker.io/user/x:1", "docker.io/user/x:1", "docker.io", "user/x", "1", null, "user/x:1" },
        { "library/a/b", "docker.io/library/a/b:latest", "docker.io", "library/a/b", "latest", null, "library/a/b:latest" },
        { "host:5000/a/b:tag", "host:5000/a/b:tag", "host:5000", "a/b", "tag", null, "host:5000/a/b:tag" },
        { "localhost/x", "localhost/x:latest", "localhost", "x", "latest", null, "localhost/x:latest" },
        { "localhost:5000/x", "localhost:5000/x:latest", "localhost:5000", "x", "latest", null, "localhost:5000/x:latest" },
        { "example.com/x", "example.com/x:latest", "example.com", "x", "latest", null, "example.com/x:latest" },
        { "Foo/bar", "Foo/bar:latest", "Foo", "bar", "latest", null, "Foo/bar:latest" },
        { "LOCALDOMAIN/library/debian", "LOCALDOMAIN/library/debian:latest", "LOCALDOMAIN", "library/debian", "latest", null, "LOCALDOMAIN/library/debian:latest" },
        { "127.0.0.1:5000/debian", "127.0.0.1:5000/debian:latest", "127.0.0.1:5000", "debian", "latest", null, "127.0.0.1:5000/debian:latest" },
        { "[::1]:5000/repo", "[::1]:5000/repo:latest", "[::1]:5000", "repo", "latest", null, "[::1]:5000/repo:latest" },
        { "[2001:db8::1]/repo:tag", "[2001:db8::1]/repo:tag", "[2001:db8::1]", "repo", "tag", null, "[2001:db8::1]/repo:tag" },
        { "192.168.0.1", "docker.io/library/192.168.0.1:latest", "docker.io", "library/192.168.0.1", "latest", null, "192.168.0.1:latest" },
        { "192.168.0.1:80", "docker.io/library/192.168.0.1:80", "docker.io", "library/192.168.0.1", "80", null, "192.168.0.1:80" },
        { "localhost", "docker.io/library/localhost:latest", "docker.io", "library/localhost", "latest", null, "localhost:latest" },
        { "name@sha256:" + Hex, "docker.io/library/name@sha256:" + Hex, "docker.io", "library/name", null, "sha256:" + Hex, "name@sha256:" + Hex },
        { "name:tag@sha256:" + Hex, "docker.io/library/name:tag@sha256:" + Hex, "docker.io", "library/name", "tag", "sha256:" + Hex, "name:tag@sha256:" + Hex },
        { "test:5000/repo@sha256:" + Hex2, "test:5000/repo@sha256:" + Hex2, "test:5000", "repo", null, "sha256:" + Hex2, "test:5000/repo@sha256:" + Hex2 },
        { "lowercase:Uppercase", "docker.io/library/lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase", null, "lowercase:Uppercase" },
        { "sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux", "some-long-tag", null, "sub-dom1.foo.com/bar/baz/quux:some-long-tag" },
        { "b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io", "test.example.com/my-app", "test.example.com", null, "b.gcr.io/test.example.com/my-app:test.example.com" },
        { "xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage", "xn--n3h.com", null, "xn--n3h.com/myimage:xn--n3h.com" },
        { "docker---rules/docker", "docker.io/docker---rules/docker:latest", "docker.io", "docker---rules/docker", "latest", null, "docker---rules/docker:latest" },
        { "dock__er/docker", "docker.io/dock__er/docker:latest", "docker.io", "dock__er/docker", "latest", null, "dock__er/docker:latest" },
        { "d/t", "docker.io/d/t:latest", "docker.io", "d/t", "latest", null, "d/t:latest" },
        { "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", "docker.io/library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a:latest", "docker.io", "library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", "latest", null, "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a:latest" },
        { "a:" + new string('t', 128), "docker.io/library/a:" + new string('t', 128), "docker.io", "library/a", new string('t', 128), null, "a:" + new string('t', 128) },
        { "example.com/" + new string('a', 255) + ":tag", "example.com/" + new string('a', 255) + ":tag", "example.com", new string('a', 255), "tag", null, "example.com/" + new string('a', 255) + ":tag" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_references_normalize_like_docker(
        string input, string canonical, string registry, string repository, string? tag, string? digest, string familiar)
    {
        var reference = ImageReference.Parse(input);
        Assert.Equal(canonical, reference.ToString());
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest?.ToString());
        Assert.Equal(familiar, reference.FamiliarString);
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void The_canonical_form_parses_back_to_itself(
        string input, string canonical, string registry, string repository, string? tag, string? digest, string familiar)
    {
        _ = (input, registry, repository, tag, digest);
        Assert.Equal(canonical, ImageReference.Parse(canonical).ToString());
        Assert.Equal(canonical, ImageReference.Parse(familiar).ToString());
    }

    public static TheoryData<string, string> Invalid() => new()
    {
        { "Hello", "invalid reference format: repository name (library/Hello) must be lowercase" },
        { "Uppercase:tag", "invalid reference format: repository name (library/Uppercase) must be lowercase" },
        { "docker/Docker", "invalid reference format: repository name (docker/Docker) must be lowercase" },
        { "docker.io/docker/Docker", "invalid reference format: repository name (docker/Docker) must be lowercase" },
        { "test:5000/Uppercase/lowercase:tag", "invalid reference format: repository name (Uppercase/lowercase) must be lowercase" },
        { "a//b", "invalid reference format" },
        { "docker///docker", "invalid reference format" },
        { "x:", "invalid reference format" },
        { "x:tag:", "invalid reference format" },
        { "", "invalid reference format" },
        { ":justtag", "invalid reference format" },
        { "@sha256:" + Hex, "invalid reference format" },
        { "x@sha256:short", "invalid reference format" },
        { "x@sha256:", "invalid reference format" },
        { "repo@sha256:ffffffffffffffffffffffffffffffffff", "invalid checksum digest length" },
        { "x@sha256:" + Hex.ToUpperInvariant(), "invalid checksum digest format" },
        { "validname@invaliddigest:" + Hex, "unsupported digest algorithm" },
        { "validname@sha512:" + Hex, "invalid checksum digest length" },
        { "-docker", "invalid reference format" },
        { "-docker/docker", "invalid reference format" },
        { "docker-/docker", "invalid reference format" },
        { "____/____", "invalid reference format" },
        { "_docker/_docker", "invalid reference format" },
        { "dock..er/docker", "invalid reference format" },
        { "dock_.er/docker", "invalid reference format" },
        { "docker/", "invalid reference format" },
        { "https://github.com/docker/docker", "invalid reference format" },
        { "aa/asdf$$^/aa", "invalid reference format" },
        { "[fc00::1]", "invalid reference format" },
        { "[fc00::1]:5000", "invalid reference format" },
        { "fc00::1:5000/debian", "invalid reference format" },
        { "[fe80::1%eth0]:5000/debian", "invalid reference format" },
        { "x:" + new string('t', 129), "invalid reference format" },
        { "x:-tag", "invalid reference format" },
        { "x:.tag", "invalid reference format" },
        { "x\n", "invalid reference format" },
        { "x y", "invalid reference format" },
        { "docker.io/" + new string('a', 256), "repository name must not be more than 255 characters" },
        { "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", "invalid repository name (1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a), cannot specify 64-byte hexadecimal strings" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_references_are_refused_with_dockers_wording(string input, string message)
    {
        var error = Assert.Throws<BerthException>(() => ImageReference.Parse(input));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(message, error.Message);
        Assert.False(ImageReference.TryParse(input, out _));
    }

    [Fact]
    public void Docker_hub_references_are_served_by_registry_1()
    {
        Assert.Equal("registry-1.docker.io", ImageReference.Parse("hello-world").RegistryApiHost);
        Assert.Equal("localhost:5000", ImageReference.Parse("localhost:5000/x").RegistryApiHost);
    }

    [Fact]
    public void Familiar_names_drop_docker_hub_and_library_only()
    {
        Assert.Equal("hello-world", ImageReference.Parse("docker.io/library/hello-world").FamiliarName);
        Assert.Equal("user/app", ImageReference.Parse("user/app").FamiliarName);
        Assert.Equal("ghcr.io/library/x", ImageReference.Parse("ghcr.io/library/x").FamiliarName);
    }

    [Fact]
    public void Parse_named_adds_no_default_tag()
    {
        var named = ImageReference.ParseNamed("hello-world");
        Assert.Null(named.Tag);
        Assert.Equal("docker.io/library/hello-world", named.ToString());
        Assert.Equal("hello-world", named.FamiliarString);
    }

    [Fact]
    public void With_tag_validates_the_tag_and_keeps_the_digest()
    {
        var reference = ImageReference.Parse("x@sha256:" + Hex).WithTag("v1");
        Assert.Equal("docker.io/library/x:v1@sha256:" + Hex, reference.ToString());
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => reference.WithTag("-bad")).Kind);
    }

    [Fact]
    public void References_compare_by_value()
    {
        Assert.Equal(ImageReference.Parse("hello-world"), ImageReference.Parse("docker.io/library/hello-world:latest"));
        Assert.NotEqual(ImageReference.Parse("hello-world"), ImageReference.Parse("hello-world:1"));
    }
}
