using System.Text;
using Berth.Core.Content;
using Berth.Core.Errors;

namespace Berth.Core.Tests.Content;

public sealed class DigestTests
{
    private const string EmptySha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void Compute_gives_the_sha256_of_the_data()
    {
        Assert.Equal(EmptySha256, Digest.Compute([]).ToString());
        Assert.Equal("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", Digest.Compute("hello"u8).ToString());
    }

    [Fact]
    public void Parse_splits_algorithm_and_encoded_part()
    {
        var digest = Digest.Parse(EmptySha256);
        Assert.Equal("sha256", digest.Algorithm);
        Assert.Equal(EmptySha256[7..], digest.Encoded);
        Assert.Equal(EmptySha256, digest.ToString());
        Assert.Equal(Digest.Compute([]), digest);
        Assert.False(digest.IsEmpty);
        Assert.True(default(Digest).IsEmpty);
    }

    [Fact]
    public void Sha512_digests_are_recognised()
    {
        string value = "sha512:" + new string('a', 128);
        Assert.Equal("sha512", Digest.Parse(value).Algorithm);
    }

    [Theory]
    [InlineData("", "invalid checksum digest format")]
    [InlineData("sha256", "invalid checksum digest format")]
    [InlineData("sha256:", "invalid checksum digest format")]
    [InlineData(":abc", "invalid checksum digest format")]
    [InlineData("sha256:abc", "invalid checksum digest length")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "invalid checksum digest format")]
    [InlineData("sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "invalid checksum digest format")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm")]
    [InlineData("SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "invalid checksum digest format")]
    public void Malformed_digests_are_refused_with_go_digest_wording(string value, string message)
    {
        var error = Assert.Throws<BerthException>(() => Digest.Parse(value));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(message, error.Message);
        Assert.False(Digest.TryParse(value, out _));
    }

    [Fact]
    public void The_hasher_gives_the_digest_so_far_and_keeps_going()
    {
        using var hasher = new DigestHasher();
        hasher.Append("hel"u8);
        Assert.Equal(Digest.Compute("hel"u8), hasher.Current());
        hasher.Append("lo"u8);
        Assert.Equal(Digest.Compute("hello"u8), hasher.Current());
        Assert.Equal(5, hasher.Length);
        hasher.Reset();
        Assert.Equal(Digest.Compute([]), hasher.Current());
        Assert.Equal(0, hasher.Length);
    }

    [Fact]
    public void The_hasher_computes_sha512_too()
    {
        using var hasher = new DigestHasher(Digest.Sha512);
        hasher.Append(Encoding.ASCII.GetBytes("abc"));
        Assert.Equal("sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            hasher.Current().ToString());
    }
}
