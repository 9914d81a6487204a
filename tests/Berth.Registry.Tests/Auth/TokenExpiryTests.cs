using System.Net;
using System.Text;
using Berth.Core.Images;
using Berth.Testing.Registry;

namespace Berth.Registry.Tests.Auth;

public sealed class TokenExpiryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{"token":"t"}""", 50, 70)]
    [InlineData("""{"token":"t","expires_in":600}""", 590, 610)]
    public async Task A_cached_token_is_reused_until_it_expires_then_fetched_again(string tokenBody, int stillValidAfter, int expiredAfter)
    {
        int tokens = 0;
        byte[] manifest = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"x","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1},"layers":[]}""");
        var handler = new FakeHttpHandler(request =>
        {
            if (request.RequestUri!.Host == "auth.example.com")
            {
                tokens++;
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(tokenBody) };
            }

            if (request.Headers.Authorization is null)
            {
                var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("") };
                challenge.Headers.WwwAuthenticate.ParseAdd("Bearer realm=\"https://auth.example.com/token\",service=\"r\"");
                return challenge;
            }

            var ok = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(manifest) };
            ok.Content.Headers.ContentType = new(MediaTypes.OciManifest);
            return ok;
        });
        var clock = new ManualTimeProvider();
        using var client = new RegistryClient(new RegistryClientOptions { Time = clock }, handler);
        var reference = ImageReference.Parse("registry.example.com/app:1");

        await client.GetManifestAsync(reference, Ct);
        clock.Advance(TimeSpan.FromSeconds(stillValidAfter));
        await client.GetManifestAsync(reference, Ct);
        Assert.Equal(1, tokens);

        clock.Advance(TimeSpan.FromSeconds(expiredAfter - stillValidAfter));
        await client.GetManifestAsync(reference, Ct);
        Assert.Equal(2, tokens);
    }
}
