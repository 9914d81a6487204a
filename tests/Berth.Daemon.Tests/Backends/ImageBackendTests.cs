using Berth.Api.Auth;
using Berth.Core.Errors;
using Berth.Daemon.Backends;
using Berth.Daemon.Events;
using Berth.Daemon.Http;
using Berth.Images.Pull;
using Berth.Images.Store;
using Berth.Registry;
using Berth.Testing.Content;
using Berth.Testing.Registry;
using Berth.Testing.Snapshots;

namespace Berth.Daemon.Tests.Backends;

public sealed class ImageBackendTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-imagesvc-backend-").FullName;
    private readonly ImageBackend _backend;

    public ImageBackendTests()
    {
        _backend = new ImageBackend(
            new InMemoryContentStore(), new DirectorySnapshotter(Path.Combine(_root, "snapshots")), new ImageStore(Path.Combine(_root, "image")),
            new EventBus(), new RegistryClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1) }, new ImagePullerOptions(), _root, "overlay2");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Inspecting_a_missing_image_is_dockers_not_found()
    {
        BerthException error = await Assert.ThrowsAsync<BerthException>(() => _backend.InspectAsync("nothing:here", Ct));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal("No such image: nothing:here", error.Message);
    }

    [Fact]
    public async Task An_unknown_list_filter_is_refused()
    {
        var filters = FilterSet.Parse("""{"colour":["blue"]}""");

        BerthException error = await Assert.ThrowsAsync<BerthException>(() => _backend.ListAsync(new ImageListOptions { Filters = filters }, Ct));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("invalid filter 'colour'", error.Message);
    }

    [Fact]
    public async Task Login_succeeds_with_the_right_password_and_says_unauthorized_with_a_wrong_one()
    {
        RegistryRequirements.LoopbackRegistry();
        using var fake = new FakeTokenRegistry("alice", "secret");

        AuthResponse ok = await _backend.LoginAsync(new AuthConfig { Username = "alice", Password = "secret", ServerAddress = fake.Address }, Ct);
        BerthException error = await Assert.ThrowsAsync<BerthException>(() =>
            _backend.LoginAsync(new AuthConfig { Username = "alice", Password = "wrong", ServerAddress = fake.Address }, Ct));

        Assert.Equal("Login Succeeded", ok.Status);
        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.StartsWith("unauthorized", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _backend.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
