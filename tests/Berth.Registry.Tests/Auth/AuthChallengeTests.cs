using Berth.Registry.Auth;

namespace Berth.Registry.Tests.Auth;

public sealed class AuthChallengeTests
{
    [Fact]
    public void Docker_Hub_bearer_challenge_yields_realm_service_and_scope()
    {
        AuthChallenge? c = AuthChallenge.Parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");

        Assert.NotNull(c);
        Assert.True(c.IsBearer);
        Assert.Equal("https://auth.docker.io/token", c.Realm);
        Assert.Equal("registry.docker.io", c.Service);
        Assert.Equal("repository:library/busybox:pull", c.Scope);
    }

    [Fact]
    public void Quoted_values_may_hold_commas_and_escaped_quotes()
    {
        AuthChallenge? c = AuthChallenge.Parse("Bearer realm=\"https://h/t\", scope=\"repository:a:pull,push\", error=\"say \\\"hi\\\"\"");

        Assert.NotNull(c);
        Assert.Equal("repository:a:pull,push", c.Scope);
        Assert.Equal("say \"hi\"", c.Error);
    }

    [Fact]
    public void Unquoted_values_and_any_case_scheme_parse()
    {
        AuthChallenge? c = AuthChallenge.Parse("basic realm=Registry, charset=UTF-8");

        Assert.NotNull(c);
        Assert.True(c.IsBasic);
        Assert.Equal("Registry", c.Realm);
        Assert.Equal("UTF-8", c.Parameters["charset"]);
    }

    [Fact]
    public void Bearer_is_preferred_over_basic_when_both_are_offered()
    {
        AuthChallenge? c = AuthChallenge.Select(["Basic realm=\"x\"", "Bearer realm=\"https://t/token\""]);

        Assert.NotNull(c);
        Assert.True(c.IsBearer);
    }

    [Fact]
    public void Empty_header_is_no_challenge() => Assert.Null(AuthChallenge.Parse("  "));
}
