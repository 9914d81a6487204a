using System.Text;
using Berth.Core.Content;
using Berth.Core.Errors;

namespace Berth.Testing.Content;

/// <summary>
/// What every <see cref="IContentStore"/> must do (after containerd's content testsuite). Derive, implement
/// <see cref="CreateStore"/>, and every test here runs against that store.
/// </summary>
public abstract class ContentStoreConformance
{
    private const string MediaType = "application/octet-stream";

    /// <summary>A fresh, empty store per call.</summary>
    protected abstract IContentStore CreateStore();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static (Descriptor Descriptor, byte[] Data) Blob(string text)
    {
        byte[] data = Encoding.UTF8.GetBytes(text);
        return (new Descriptor(MediaType, Digest.Compute(data), data.Length), data);
    }

    [Fact]
    public async Task Committed_content_reads_back_with_its_size()
    {
        var store = CreateStore();
        var (descriptor, data) = Blob("hello content");
        await using (var writer = await store.OpenWriterAsync("k1", descriptor, Ct))
        {
            Assert.Equal(0, writer.Offset);
            await writer.WriteAsync(data.AsMemory(0, 5), Ct);
            await writer.WriteAsync(data.AsMemory(5), Ct);
            Assert.Equal(data.Length, writer.Offset);
            Assert.False(await store.ExistsAsync(descriptor.Digest, Ct));
            await writer.CommitAsync(Ct);
        }

        Assert.True(await store.ExistsAsync(descriptor.Digest, Ct));
        Assert.Equal(data, await ReadAllAsync(store, descriptor.Digest));
        var info = await store.InfoAsync(descriptor.Digest, Ct);
        Assert.Equal(descriptor.Digest, info.Digest);
        Assert.Equal(data.Length, info.Size);
        Assert.True(await store.VerifyAsync(descriptor.Digest, Ct));
    }

    [Fact]
    public async Task Empty_content_commits()
    {
        var store = CreateStore();
        var (descriptor, _) = Blob("");
        Assert.True(await store.WriteBlobAsync(descriptor, ReadOnlyMemory<byte>.Empty, Ct));
        Assert.Empty(await ReadAllAsync(store, descriptor.Digest));
    }

    [Fact]
    public async Task Content_with_the_wrong_digest_is_refused_and_never_lands()
    {
        var store = CreateStore();
        var (descriptor, _) = Blob("expected");
        byte[] other = Encoding.UTF8.GetBytes("corrupts");
        await using (var writer = await store.OpenWriterAsync("k1", descriptor, Ct))
        {
            await writer.WriteAsync(other, Ct);
            var error = await Assert.ThrowsAsync<BerthException>(() => writer.CommitAsync(Ct));
            Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
            Assert.Contains($"expected {descriptor.Digest}, actual {Digest.Compute(other)}", error.Message, StringComparison.Ordinal);
        }

        Assert.False(await store.ExistsAsync(descriptor.Digest, Ct));
        Assert.False(await store.ExistsAsync(Digest.Compute(other), Ct));
        await using var again = await store.OpenWriterAsync("k1", descriptor, Ct);
        Assert.Equal(0, again.Offset);
    }

    [Fact]
    public async Task Content_of_the_wrong_size_is_refused()
    {
        var store = CreateStore();
        var (descriptor, data) = Blob("sized");
        await using var writer = await store.OpenWriterAsync("k1", descriptor with { Size = data.Length + 1 }, Ct);
        await writer.WriteAsync(data, Ct);
        var error = await Assert.ThrowsAsync<BerthException>(() => writer.CommitAsync(Ct));
        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains("size mismatch", error.Message, StringComparison.Ordinal);
        Assert.False(await store.ExistsAsync(descriptor.Digest, Ct));
    }

    [Fact]
    public async Task Writing_past_the_expected_size_is_refused_early()
    {
        var store = CreateStore();
        var (descriptor, data) = Blob("four");
        await using var writer = await store.OpenWriterAsync("k1", descriptor, Ct);
        var error = await Assert.ThrowsAsync<BerthException>(() => writer.WriteAsync(data.Concat(data).ToArray(), Ct));
        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
    }

    [Fact]
    public async Task An_unknown_size_checks_only_the_digest()
    {
        var store = CreateStore();
        var (descriptor, data) = Blob("size unknown");
        await using var writer = await store.OpenWriterAsync("k1", descriptor with { Size = -1 }, Ct);
        await writer.WriteAsync(data, Ct);
        await writer.CommitAsync(Ct);
        Assert.Equal(data.Length, (await store.InfoAsync(descriptor.Digest, Ct)).Size);
    }

    [Fact]
    public async Task Reopening_an_ingest_resumes_at_its_offset()
    {
        var store = CreateStore();
        var (descriptor, data) = Blob("resumable download of a layer");
        await using (var first = await store.OpenWriterAsync("layer", descriptor, Ct))
        {
            await first.WriteAsync(data.AsMemory(0, 10), Ct);
        }

        await using (var second = await store.OpenWriterAsync("layer", descriptor, Ct))
        {
            Assert.Equal(10, second.Offset);
            await second.WriteAsync(data.AsMemory(10), Ct);
            await second.CommitAsync(Ct);
        }

        Assert.Equal(data, await ReadAllAsync(store, descriptor.Digest));
    }

    [Fact]
    public async Task An_ingest_for_other_content_under_the_same_key_starts_over()
    {
        var store = CreateStore();
        var (first, firstData) = Blob("first content");
        var (second, secondData) = Blob("second content");
        await using (var writer = await store.OpenWriterAsync("key", first, Ct))
        {
            await writer.WriteAsync(firstData.AsMemory(0, 5), Ct);
        }

        await using var other = await store.OpenWriterAsync("key", second, Ct);
        Assert.Equal(0, other.Offset);
        await other.WriteAsync(secondData, Ct);
        await other.CommitAsync(Ct);
        Assert.Equal(secondData, await ReadAllAsync(store, second.Digest));
    }

    [Fact]
    public async Task Reset_restarts_the_ingest_from_zero()
    {
        var store = CreateStore();
        var (descriptor, data) = Blob("restart me");
        await using var writer = await store.OpenWriterAsync("k", descriptor, Ct);
        await writer.WriteAsync(Encoding.UTF8.GetBytes("junk"), Ct);
        await writer.ResetAsync(Ct);
        Assert.Equal(0, writer.Offset);
        await writer.WriteAsync(data, Ct);
        await writer.CommitAsync(Ct);
        Assert.Equal(data, await ReadAllAsync(store, descriptor.Digest));
    }

    [Fact]
    public async Task Opening_a_writer_for_committed_content_reports_already_exists()
    {
        var store = CreateStore();
        var (descriptor, data) = Blob("exists");
        Assert.True(await store.WriteBlobAsync(descriptor, data, Ct));
        var error = await Assert.ThrowsAsync<BerthException>(() => store.OpenWriterAsync("again", descriptor, Ct));
        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
        Assert.False(await store.WriteBlobAsync(descriptor, data, Ct));
    }

    [Fact]
    public async Task A_second_writer_of_the_same_digest_waits_and_then_finds_it_committed()
    {
        var store = CreateStore();
        var (descriptor, data) = Blob("fetched once");
        var first = await store.OpenWriterAsync("one", descriptor, Ct);
        await first.WriteAsync(data.AsMemory(0, 3), Ct);

        Task<IContentWriter> second = store.OpenWriterAsync("two", descriptor, Ct);
        await Task.Delay(100, Ct);
        Assert.False(second.IsCompleted);

        await first.WriteAsync(data.AsMemory(3), Ct);
        await first.CommitAsync(Ct);
        await first.DisposeAsync();
        var error = await Assert.ThrowsAsync<BerthException>(() => second);
        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
    }

    [Fact]
    public async Task A_waiting_writer_proceeds_when_the_first_gives_up()
    {
        var store = CreateStore();
        var (descriptor, data) = Blob("abandoned");
        var first = await store.OpenWriterAsync("one", descriptor, Ct);
        Task<IContentWriter> second = store.OpenWriterAsync("two", descriptor, Ct);
        await first.DisposeAsync();
        await using var writer = await second;
        await writer.WriteAsync(data, Ct);
        await writer.CommitAsync(Ct);
        Assert.True(await store.ExistsAsync(descriptor.Digest, Ct));
    }

    [Fact]
    public async Task Concurrent_writers_of_the_same_blob_write_it_once()
    {
        var store = CreateStore();
        var (descriptor, data) = Blob(new string('x', 100_000));
        bool[] wrote = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(
            () => store.WriteBlobAsync($"pull-{i}", descriptor, new MemoryStream(data), Ct), Ct)));
        Assert.Single(wrote, w => w);
        Assert.Equal(data, await ReadAllAsync(store, descriptor.Digest));
    }

    [Fact]
    public async Task Waiting_for_a_writer_can_be_canceled()
    {
        var store = CreateStore();
        var (descriptor, _) = Blob("held");
        await using var first = await store.OpenWriterAsync("one", descriptor, Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Task<IContentWriter> second = store.OpenWriterAsync("two", descriptor, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }

    [Fact]
    public async Task Deleted_content_is_gone()
    {
        var store = CreateStore();
        var (descriptor, data) = Blob("delete me");
        await store.WriteBlobAsync(descriptor, data, Ct);
        await store.DeleteAsync(descriptor.Digest, Ct);
        Assert.False(await store.ExistsAsync(descriptor.Digest, Ct));
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => store.DeleteAsync(descriptor.Digest, Ct))).Kind);
    }

    [Fact]
    public async Task Missing_content_is_not_found()
    {
        var store = CreateStore();
        var (descriptor, _) = Blob("never written");
        Assert.False(await store.ExistsAsync(descriptor.Digest, Ct));
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => store.OpenReadAsync(descriptor.Digest, Ct))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => store.InfoAsync(descriptor.Digest, Ct))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => store.VerifyAsync(descriptor.Digest, Ct))).Kind);
    }

    [Fact]
    public async Task List_shows_committed_content_and_not_ingests()
    {
        var store = CreateStore();
        var (a, aData) = Blob("a");
        var (b, bData) = Blob("b");
        var (pending, pendingData) = Blob("pending");
        await store.WriteBlobAsync(a, aData, Ct);
        await store.WriteBlobAsync(b, bData, Ct);
        await using var writer = await store.OpenWriterAsync("pending", pending, Ct);
        await writer.WriteAsync(pendingData.AsMemory(0, 2), Ct);

        var listed = new List<ContentInfo>();
        await foreach (var info in store.ListAsync(Ct))
        {
            listed.Add(info);
        }

        Assert.Equal(new[] { a.Digest, b.Digest }.Select(d => d.ToString()).Order(StringComparer.Ordinal), listed.Select(i => i.Digest.ToString()).Order(StringComparer.Ordinal));
        Assert.All(listed, i => Assert.Equal(1, i.Size));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("with space")]
    public async Task Invalid_ingest_keys_are_refused(string key)
    {
        var store = CreateStore();
        var (descriptor, _) = Blob("k");
        var error = await Assert.ThrowsAsync<BerthException>(() => store.OpenWriterAsync(key, descriptor, Ct));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    private static async Task<byte[]> ReadAllAsync(IContentStore store, Digest digest)
    {
        await using Stream stream = await store.OpenReadAsync(digest, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }
}
