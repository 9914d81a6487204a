using System.Net;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Registry.Tests;

public sealed class RegistryErrorsTests
{
    private static BerthException Map(HttpStatusCode status, string body, RegistryErrors.Subject subject = RegistryErrors.Subject.Manifest, string what = "busybox:nope") =>
        RegistryErrors.FromBody(status, Encoding.UTF8.GetBytes(body), subject, what);

    [Fact]
    public void Manifest_unknown_is_NotFound_with_Dockers_message()
    {
        BerthException ex = Map(HttpStatusCode.NotFound, """{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"nope"}}]}""");

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal("manifest for busybox:nope not found: manifest unknown: manifest unknown", ex.Message);
    }

    [Fact]
    public void Name_unknown_is_NotFound() =>
        Assert.Equal(ErrorKind.NotFound, Map(HttpStatusCode.NotFound, """{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}""").Kind);

    [Fact]
    public void Blob_unknown_is_NotFound_naming_the_digest()
    {
        BerthException ex = Map(HttpStatusCode.NotFound, """{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}""", RegistryErrors.Subject.Blob, "sha256:abc");

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal("blob sha256:abc not found: blob unknown: blob unknown to registry", ex.Message);
    }

    [Theory]
    [InlineData("UNAUTHORIZED", HttpStatusCode.Unauthorized)]
    [InlineData("DENIED", HttpStatusCode.Forbidden)]
    public void Unauthorized_and_denied_are_PermissionDenied(string code, HttpStatusCode status) =>
        Assert.Equal(ErrorKind.PermissionDenied, Map(status, $$"""{"errors":[{"code":"{{code}}","message":"no"}]}""").Kind);

    [Fact]
    public void Too_many_requests_is_Unavailable()
    {
        BerthException ex = Map(HttpStatusCode.TooManyRequests, """{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit."}]}""");

        Assert.Equal(ErrorKind.Unavailable, ex.Kind);
        Assert.Contains("toomanyrequests: You have reached your pull rate limit.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_that_is_not_JSON_falls_back_to_the_status()
    {
        Assert.Equal(ErrorKind.NotFound, Map(HttpStatusCode.NotFound, "<html>404</html>").Kind);
        Assert.Equal(ErrorKind.Unavailable, Map(HttpStatusCode.BadGateway, "").Kind);
        Assert.Equal(ErrorKind.PermissionDenied, Map(HttpStatusCode.Unauthorized, "").Kind);
    }
}
