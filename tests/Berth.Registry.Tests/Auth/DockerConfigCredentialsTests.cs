using System.Text;
using Berth.Core.Errors;
using Berth.Registry.Auth;

namespace Berth.Registry.Tests.Auth;

public sealed class DockerConfigCredentialsTests
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void Base64_auth_entries_are_decoded_per_host()
    {
        var creds = DockerConfigCredentials.Parse(Encoding.UTF8.GetBytes(
            "{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + B64("alice:s3cr:et") + "\"},\"https://ghcr.io/v2/\":{\"auth\":\"" + B64("bob:pw") + "\"}}}"));

        Assert.Equal(new RegistryCredential("alice", "s3cr:et"), creds.Find("127.0.0.1:5000"));
        Assert.Equal(new RegistryCredential("bob", "pw"), creds.Find("ghcr.io"));
        Assert.Null(creds.Find("example.com"));
    }

    [Theory]
    [InlineData("docker.io")]
    [InlineData("registry-1.docker.io")]
    [InlineData("index.docker.io")]
    public void Docker_Hub_credentials_are_found_under_every_hub_name(string host)
    {
        var creds = DockerConfigCredentials.Parse(Encoding.UTF8.GetBytes(
            "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + B64("u:p") + "\"}}}"));

        Assert.Equal(new RegistryCredential("u", "p"), creds.Find(host));
    }

    [Fact]
    public void Auth_without_a_colon_is_an_invalid_argument()
    {
        var ex = Assert.Throws<BerthException>(() => DockerConfigCredentials.Parse(Encoding.UTF8.GetBytes(
            "{\"auths\":{\"h\":{\"auth\":\"" + B64("nocolon") + "\"}}}")));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public async Task A_missing_config_file_means_no_credentials()
    {
        DockerConfigCredentials creds = await DockerConfigCredentials.LoadAsync("/nonexistent/config.json", TestContext.Current.CancellationToken);

        Assert.Null(creds.Find("docker.io"));
    }

    [Fact]
    public void Credential_ToString_does_not_reveal_the_password() =>
        Assert.DoesNotContain("hunter2", new RegistryCredential("u", "hunter2").ToString(), StringComparison.Ordinal);
}
