using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Core.Progress;
using Berth.Images.Push;
using Berth.Images.Tests.Pull;
using Berth.Images.Tests.Push;
using Berth.Registry;
using Berth.Testing;
using Berth.Testing.Engines;
using Berth.Testing.Registry;

namespace Berth.Images.Tests.Auth;

/// <summary>
/// Push and pull against Debian's docker-registry configured for token auth, trusting a <see cref="TestTokenService"/>
/// (Docker Hub's arrangement: the registry challenges with a realm, the client fetches a JWT there).
/// </summary>
[Trait("Category", "Privileged")]
public sealed class TokenAuthRegistryTests
{
    private const string User = "alice";
    private const string Password = "s3cret";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_push_with_credentials_pulls_back_with_the_same_digests()
    {
        await using TokenRegistry r = await TokenRegistry.StartAsync();
        TestImage built = TestImagePusher.Build([LayerFixtures.Base(), LayerFixtures.Top()]);
        string target = $"{r.Registry.Address}/team/app:v1";
        using var pushing = new PullEnvironment(r.Credentials(User, Password));
        await SeededImages.StoreAsync(pushing, built, target, Ct);

        (Digest pushed, _) = await PushAsync(pushing, target);
        using var pulling = new PullEnvironment(r.Credentials(User, Password));
        (ImageRecord image, _) = await pulling.PullAsync(target);

        // A reference client agrees, through the same token service.
        ProcessResult skopeo = (await ChildProcess.RunAsync(
            "skopeo", ["inspect", "--tls-verify=false", "--creds", $"{User}:{Password}", "--format", "{{.Digest}}", $"docker://{target}"],
            cancellationToken: Ct)).EnsureSuccess();

        Assert.Equal(built.ManifestDescriptor.Digest, pushed);
        Assert.Equal(pushed.ToString(), skopeo.Stdout.Trim());
        Assert.Equal(pushed, image.ManifestDigest);
        Assert.Equal(built.ConfigDigest, image.Id);
        Assert.Equal("top layer\n", File.ReadAllText(Path.Combine(pulling.TreeOf(image), "srv", "data")));
        Assert.All(r.Tokens.Requests, t => Assert.Equal((User, 200), (t.Account, t.Status)));
        Assert.Contains(r.Tokens.Requests, t => t.Granted.Any(g => g is { Type: "repository", Name: "team/app" } && g.Actions.SequenceEqual(["pull", "push"])));
    }

    [Fact]
    public async Task Anonymous_clients_pull_but_their_push_is_refused_as_unauthorized()
    {
        await using TokenRegistry r = await TokenRegistry.StartAsync();
        TestImage built = TestImagePusher.Build([LayerFixtures.Base()]);
        await r.PublishAsync(built, "public/app:latest");
        using var anonymous = new PullEnvironment(r.Credentials());
        await SeededImages.StoreAsync(anonymous, built, $"{r.Registry.Address}/public/other:latest", Ct);

        (ImageRecord image, _) = await anonymous.PullAsync($"{r.Registry.Address}/public/app:latest");
        BerthException error = await Assert.ThrowsAsync<BerthException>(() => PushAsync(anonymous, $"{r.Registry.Address}/public/other:latest"));

        Assert.Equal(built.ConfigDigest, image.Id);
        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("unauthorized", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(r.RepositoryDir("public/other")));
        Assert.Contains(r.Tokens.Requests, t => t.Account is null && t.Granted.Any(g => g.Name == "public/other" && g.Actions.SequenceEqual(["pull"])));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_as_unauthorized_for_push_and_pull_and_leaves_nothing_behind()
    {
        await using TokenRegistry r = await TokenRegistry.StartAsync(anonymousPull: false);
        TestImage built = TestImagePusher.Build([LayerFixtures.Base()]);
        await r.PublishAsync(built, "private/app:latest");
        using var pusher = new PullEnvironment(r.Credentials(User, "wrong"));
        await SeededImages.StoreAsync(pusher, built, $"{r.Registry.Address}/private/other:latest", Ct);
        using var puller = new PullEnvironment(r.Credentials(User, "wrong"));

        BerthException push = await Assert.ThrowsAsync<BerthException>(() => PushAsync(pusher, $"{r.Registry.Address}/private/other:latest"));
        BerthException pull = await Assert.ThrowsAsync<BerthException>(() => puller.PullAsync($"{r.Registry.Address}/private/app:latest"));

        Assert.Equal(ErrorKind.PermissionDenied, push.Kind);
        Assert.Contains("unauthorized", push.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("incorrect username or password", push.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.PermissionDenied, pull.Kind);
        Assert.Contains("unauthorized", pull.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(r.RepositoryDir("private/other")));
        Assert.Empty(await puller.Images.ListAsync(Ct));
        Assert.Empty(await puller.Content.ListAsync(Ct).ToListAsync(Ct));
        Assert.DoesNotContain(Directory.EnumerateFiles(puller.Root, "*", SearchOption.AllDirectories), f => !f.EndsWith(".lock", StringComparison.Ordinal));
        Assert.Contains(r.Tokens.Requests, t => t is { Account: User, Status: 401 });
    }

    [Fact]
    public async Task An_anonymous_client_is_refused_a_private_pull_as_unauthorized()
    {
        await using TokenRegistry r = await TokenRegistry.StartAsync(anonymousPull: false);
        TestImage built = TestImagePusher.Build([LayerFixtures.Base()]);
        await r.PublishAsync(built, "private/app:latest");
        using var anonymous = new PullEnvironment(r.Credentials());

        BerthException error = await Assert.ThrowsAsync<BerthException>(() => anonymous.PullAsync($"{r.Registry.Address}/private/app:latest"));

        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("unauthorized", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await anonymous.Images.ListAsync(Ct));
    }

    [Fact]
    public async Task Tokens_are_reused_per_scope_and_a_token_the_registry_refuses_is_replaced()
    {
        await using TokenRegistry r = await TokenRegistry.StartAsync();
        TestImage built = TestImagePusher.Build([LayerFixtures.Base(), LayerFixtures.Change(), LayerFixtures.Top()]);
        TestImage other = TestImagePusher.Build([LayerFixtures.Random("other", 1000, 3)]);
        using var env = new PullEnvironment(r.Credentials(User, Password));
        // Two unrelated images: no cross-repository mount widens the scope of the second push.
        await SeededImages.StoreAsync(env, built, $"{r.Registry.Address}/cache/one:latest", Ct);
        await SeededImages.StoreAsync(env, other, $"{r.Registry.Address}/cache/two:latest", Ct);

        await PushAsync(env, $"{r.Registry.Address}/cache/one:latest");
        int afterFirst = r.Tokens.Requests.Count;
        (_, List<ProgressEvent> again) = await PushAsync(env, $"{r.Registry.Address}/cache/one:latest");
        int afterSecond = r.Tokens.Requests.Count;
        r.Tokens.IssueStaleTokens(1);
        // One upload at a time, so exactly one request meets the stale token.
        (Digest two, _) = await PushAsync(env, $"{r.Registry.Address}/cache/two:latest", new ImagePusherOptions { MaxConcurrentUploads = 1 });

        // The layers go up in parallel, each first meeting a 401, and still share one token.
        Assert.Equal(1, afterFirst);
        Assert.Equal(afterFirst, afterSecond);
        Assert.Contains(again, e => e.Status == "Layer already exists");
        List<TokenRequestRecord> forTwo = [.. r.Tokens.Requests.Skip(afterSecond)];
        Assert.Equal(2, forTwo.Count);
        Assert.All(forTwo, t => Assert.Contains(t.Granted, g => g.Name == "cache/two"));
        Assert.Equal(other.ManifestDescriptor.Digest, two);
    }

    [Fact]
    public async Task A_pulled_image_pushed_to_another_repository_mounts_its_layers_across_scopes()
    {
        await using TokenRegistry r = await TokenRegistry.StartAsync();
        TestImage built = TestImagePusher.Build([LayerFixtures.Base(), LayerFixtures.Top()]);
        await r.PublishAsync(built, "team/source:v1");

        using var env = new PullEnvironment(r.Credentials(User, Password));
        await env.PullAsync($"{r.Registry.Address}/team/source:v1");
        await env.Images.TagAsync($"{r.Registry.Address}/team/source:v1", $"{r.Registry.Address}/team/copy:v1", Ct);

        (Digest digest, List<ProgressEvent> events) = await PushAsync(env, $"{r.Registry.Address}/team/copy:v1");

        Assert.Equal(built.ManifestDescriptor.Digest, digest);
        Assert.Equal(2, events.Count(e => e.Status == "Mounted from team/source"));
        Assert.Contains(r.Tokens.Requests, t => t.Granted.Any(g => g.Name == "team/source" && g.Actions.SequenceEqual(["pull"])) &&
                                                t.Granted.Any(g => g.Name == "team/copy" && g.Actions.Contains("push")));
    }

    private static async Task<(Digest Digest, List<ProgressEvent> Events)> PushAsync(PullEnvironment env, string reference, ImagePusherOptions? options = null)
    {
        var events = new List<ProgressEvent>();
        Digest digest = await new ImagePusher(env.Client, env.Content, env.Images, options).PushAsync(ImageReference.Parse(reference), new ListProgress(events), Ct);
        return (digest, events);
    }

    /// <summary>A token service and the docker-registry that trusts it, stopped together.</summary>
    private sealed class TokenRegistry(TestTokenService tokens, LocalRegistry registry) : IAsyncDisposable
    {
        public TestTokenService Tokens { get; } = tokens;

        public LocalRegistry Registry { get; } = registry;

        public static async Task<TokenRegistry> StartAsync(bool anonymousPull = true)
        {
            RegistryRequirements.LoopbackRegistry();
            Requires.Root();
            var tokens = new TestTokenService(User, Password, anonymousPull);
            try
            {
                return new TokenRegistry(tokens, await LocalRegistry.StartAsync(tokens.RegistryConfig));
            }
            catch
            {
                tokens.Dispose();
                throw;
            }
        }

        public RegistryClientOptions Credentials(string? username = null, string? password = null) => new()
        {
            Credentials = username is null ? null : new StaticCredentials(Registry.Address, username, password!),
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        };

        /// <summary>Pushes <paramref name="image"/> as <paramref name="repositoryTag"/> with the owner's credentials.</summary>
        public async Task PublishAsync(TestImage image, string repositoryTag)
        {
            using var owner = new PullEnvironment(Credentials(User, Password));
            await SeededImages.StoreAsync(owner, image, $"{Registry.Address}/{repositoryTag}", Ct);
            await PushAsync(owner, $"{Registry.Address}/{repositoryTag}");
        }

        /// <summary>Where the registry keeps a repository's links; absent until something was pushed there.</summary>
        public string RepositoryDir(string repository) =>
            Path.Combine(Registry.Dir, "data", "docker", "registry", "v2", "repositories", repository);

        public async ValueTask DisposeAsync()
        {
            await Registry.DisposeAsync();
            Tokens.Dispose();
        }
    }
}
