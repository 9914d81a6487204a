using System.Text;
using Berth.Core.Content;
using Berth.Storage.Content;

namespace Berth.Storage.Tests.Content;

/// <summary>What only the store on disk has: its layout, its permissions, corruption on disk, stale ingests.</summary>
public sealed class FileContentStoreTests : IDisposable
{
    private readonly TempDirectory _root = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (Descriptor Descriptor, byte[] Data) Blob(string text)
    {
        byte[] data = Encoding.UTF8.GetBytes(text);
        return (new Descriptor("application/octet-stream", Digest.Compute(data), data.Length), data);
    }

    [Fact]
    public async Task Blobs_land_read_only_under_blobs_sha256_and_the_ingest_is_removed()
    {
        var store = new FileContentStore(_root.Path);
        var (descriptor, data) = Blob("layout");
        await store.WriteBlobAsync("k", descriptor, new MemoryStream(data), Ct);

        string blob = Path.Combine(_root.Path, "blobs", "sha256", descriptor.Digest.Encoded);
        Assert.Equal(data, await File.ReadAllBytesAsync(blob, Ct));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(blob));
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "ingest", "k")));
    }

    [Fact]
    public async Task A_partial_ingest_sits_in_ingest_key_data()
    {
        var store = new FileContentStore(_root.Path);
        var (descriptor, data) = Blob("partial");
        await using (var writer = await store.OpenWriterAsync("k", descriptor, Ct))
        {
            await writer.WriteAsync(data.AsMemory(0, 4), Ct);
        }

        Assert.Equal(data[..4], await File.ReadAllBytesAsync(Path.Combine(_root.Path, "ingest", "k", "data"), Ct));
    }

    [Fact]
    public async Task An_ingest_resumes_in_a_new_store_on_the_same_root()
    {
        var (descriptor, data) = Blob("survives a restart");
        await using (var writer = await new FileContentStore(_root.Path).OpenWriterAsync("k", descriptor, Ct))
        {
            await writer.WriteAsync(data.AsMemory(0, 8), Ct);
        }

        var restarted = new FileContentStore(_root.Path);
        await using (var writer = await restarted.OpenWriterAsync("k", descriptor, Ct))
        {
            Assert.Equal(8, writer.Offset);
            await writer.WriteAsync(data.AsMemory(8), Ct);
            await writer.CommitAsync(Ct);
        }

        Assert.True(await restarted.VerifyAsync(descriptor.Digest, Ct));
    }

    [Fact]
    public async Task Verify_notices_bytes_changed_on_disk()
    {
        var store = new FileContentStore(_root.Path);
        var (descriptor, data) = Blob("pristine");
        await store.WriteBlobAsync(descriptor, data, Ct);
        string blob = Path.Combine(_root.Path, "blobs", "sha256", descriptor.Digest.Encoded);
        File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(blob, "tampered", Ct);

        Assert.False(await store.VerifyAsync(descriptor.Digest, Ct));
    }

    [Fact]
    public async Task Cleanup_removes_stale_ingests_and_keeps_fresh_and_open_ones()
    {
        var store = new FileContentStore(_root.Path);
        var (stale, staleData) = Blob("stale");
        var (fresh, freshData) = Blob("fresh");
        var (open, _) = Blob("open");
        foreach (var (key, descriptor, data) in new[] { ("stale", stale, staleData), ("fresh", fresh, freshData) })
        {
            await using var writer = await store.OpenWriterAsync(key, descriptor, Ct);
            await writer.WriteAsync(data.AsMemory(0, 2), Ct);
        }

        await using var held = await store.OpenWriterAsync("open", open, Ct);
        DateTime old = DateTime.UtcNow.AddDays(-2);
        File.SetLastWriteTimeUtc(Path.Combine(_root.Path, "ingest", "stale", "data"), old);
        File.SetLastWriteTimeUtc(Path.Combine(_root.Path, "ingest", "open", "data"), old);

        Assert.Equal(1, await store.CleanupIngestsAsync(TimeSpan.FromDays(1), Ct));
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "ingest", "stale")));
        Assert.True(Directory.Exists(Path.Combine(_root.Path, "ingest", "fresh")));
        Assert.True(Directory.Exists(Path.Combine(_root.Path, "ingest", "open")));
    }

    [Fact]
    public async Task A_blob_committed_by_another_store_on_the_same_root_is_seen_while_waiting()
    {
        var (descriptor, data) = Blob("two daemons, one blob");
        var first = new FileContentStore(_root.Path);
        var second = new FileContentStore(_root.Path);
        var writer = await first.OpenWriterAsync("a", descriptor, Ct);
        Task<bool> other = second.WriteBlobAsync("b", descriptor, new MemoryStream(data), Ct);
        await writer.WriteAsync(data, Ct);
        await writer.CommitAsync(Ct);
        await writer.DisposeAsync();
        Assert.False(await other);
    }

    public void Dispose() => _root.Dispose();
}
