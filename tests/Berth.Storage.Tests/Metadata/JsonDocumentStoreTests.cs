using Berth.Linux;
using Berth.Storage.Metadata;
using Berth.Storage.Tests.Content;

namespace Berth.Storage.Tests.Metadata;

public sealed class JsonDocumentStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    private JsonDocumentStore<TestDocument> Open() => new(Path.Combine(_temp.Path, "docs"), TestJsonContext.Default.TestDocument);

    [Fact]
    public async Task Put_get_list_delete_round_trip()
    {
        var store = Open();

        await store.PutAsync("b", new TestDocument { Name = "second", Count = 2 }, Ct);
        await store.PutAsync("a", new TestDocument { Name = "first", Count = 1 }, Ct);
        await store.PutAsync("a", new TestDocument { Name = "first again", Count = 3 }, Ct);

        Assert.Equal("first again", (await store.GetAsync("a", Ct))!.Name);
        Assert.Null(await store.GetAsync("missing", Ct));
        var listed = new List<KeyValuePair<string, TestDocument>>();
        await foreach (var item in store.ListAsync(Ct))
        {
            listed.Add(item);
        }

        Assert.Equal(["a", "b"], listed.Select(i => i.Key));
        Assert.True(await store.DeleteAsync("a", Ct));
        Assert.False(await store.DeleteAsync("a", Ct));
        Assert.Null(await store.GetAsync("a", Ct));
    }

    [Fact]
    public async Task A_put_that_is_not_durable_still_replaces_the_document_whole()
    {
        var store = Open();
        await store.PutAsync("a", new TestDocument { Name = "first", Count = 1 }, Ct);

        await store.PutAsync("a", new TestDocument { Name = "second", Count = 2 }, durable: false, Ct);

        Assert.Equal("second", (await store.GetAsync("a", Ct))!.Name);
        Assert.Equal(["a.json"], Documents(store));
    }

    [Fact]
    public async Task A_rewrite_recycles_the_file_it_replaces_instead_of_making_one()
    {
        var store = Open();
        string path = Path.Combine(store.Directory, "a.json");
        await store.PutAsync("a", new TestDocument { Name = "one" }, Ct);
        ulong first = FileSystemOps.Stat(path).Inode;

        await store.PutAsync("a", new TestDocument { Name = "two" }, Ct);
        ulong second = FileSystemOps.Stat(path).Inode;
        string spare = Assert.Single(Spares(store));
        await store.PutAsync("a", new TestDocument { Name = "three" }, Ct);

        Assert.NotEqual(first, second);
        Assert.Equal(first, FileSystemOps.Stat(path).Inode);
        Assert.Equal(second, FileSystemOps.Stat(spare).Inode);
        Assert.Equal("three", (await store.GetAsync("a", Ct))!.Name);
        Assert.Equal(["a.json"], Documents(store));
    }

    [Fact]
    public async Task A_short_document_written_into_a_longer_spare_keeps_nothing_of_the_old_one()
    {
        var store = Open();
        string path = Path.Combine(store.Directory, "a.json");
        await store.PutAsync("a", new TestDocument { Name = new string('x', 10_000), Count = 1 }, Ct);
        await store.PutAsync("a", new TestDocument { Name = "mid", Count = 2 }, Ct);

        await store.PutAsync("a", new TestDocument { Name = "end", Count = 3 }, Ct);

        TestDocument read = (await store.GetAsync("a", Ct))!;
        Assert.Equal(("end", 3), (read.Name, read.Count));
        Assert.InRange(new FileInfo(path).Length, 1, 100);
        Assert.DoesNotContain("xxx", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_document_s_file_becomes_the_next_new_document()
    {
        var store = Open();
        await store.PutAsync("gone", new TestDocument { Name = "old" }, Ct);
        ulong inode = FileSystemOps.Stat(Path.Combine(store.Directory, "gone.json")).Inode;

        Assert.True(await store.DeleteAsync("gone", Ct));
        Assert.Single(Spares(store));
        await store.PutAsync("new", new TestDocument { Name = "fresh" }, Ct);

        Assert.Equal(inode, FileSystemOps.Stat(Path.Combine(store.Directory, "new.json")).Inode);
        Assert.Equal(["new.json"], Documents(store));
        Assert.Empty(Spares(store));
        Assert.Equal("fresh", (await store.GetAsync("new", Ct))!.Name);
        Assert.Null(await store.GetAsync("gone", Ct));
    }

    [Fact]
    public async Task Readers_racing_recycling_writers_only_ever_see_a_whole_document_of_their_own_id()
    {
        var store = Open();
        string[] ids = ["a", "b", "c"];
        foreach (string id in ids)
        {
            await store.PutAsync(id, new TestDocument { Name = id, Count = 0 }, durable: false, Ct);
        }

        // Documents of different sizes, so a torn read would not parse or would mix two ids' names.
        Task[] writers = [.. ids.Select(id => Task.Run(async () =>
        {
            for (int i = 1; i <= 400; i++)
            {
                await store.PutAsync(id, new TestDocument { Name = id + new string('x', i % 7 * 300), Count = i }, durable: false, Ct);
            }
        }, Ct))];
        Task[] readers = [.. ids.Select(id => Task.Run(async () =>
        {
            for (int i = 0; i < 1200; i++)
            {
                TestDocument read = (await store.GetAsync(id, Ct))!;
                Assert.Equal(id, read.Name![..1]);
                Assert.Equal(read.Count % 7 * 300, read.Name.Length - 1);
            }
        }, Ct))];
        await Task.WhenAll([.. writers, .. readers]);

        Assert.Equal(ids.Select(id => id + ".json"), Documents(store));
    }

    private static List<string> Documents(JsonDocumentStore<TestDocument> store) =>
        Directory.GetFiles(store.Directory).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order(StringComparer.Ordinal).ToList()!;

    private static string[] Spares(JsonDocumentStore<TestDocument> store) => Directory.GetFiles(store.Directory, ".spare-*");

    [Theory]
    [InlineData("docker.io/library/busybox:latest")]
    [InlineData(".hidden")]
    [InlineData("sha256:0123abcd")]
    [InlineData("../../etc/passwd")]
    [InlineData("ünïcode 100%")]
    public async Task Any_id_round_trips_through_the_file_name_and_stays_in_the_directory(string id)
    {
        var store = Open();

        await store.PutAsync(id, new TestDocument { Name = id }, Ct);

        Assert.Equal(id, (await store.GetAsync(id, Ct))!.Name);
        string file = Assert.Single(Directory.GetFiles(store.Directory));
        Assert.EndsWith(".json", file, StringComparison.Ordinal);
        Assert.False(Path.GetFileName(file).StartsWith('.'));
        var listed = new List<string>();
        await foreach (var item in store.ListAsync(Ct))
        {
            listed.Add(item.Key);
        }

        Assert.Equal([id], listed);
        Assert.Single(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task No_temp_file_is_left_behind_and_a_second_store_sees_the_documents()
    {
        await Open().PutAsync("x", new TestDocument { Name = "n" }, Ct);

        // A first write has nothing to recycle: the new file becomes the document and nothing else is left.
        Assert.Equal(["x.json"], Directory.GetFiles(Path.Combine(_temp.Path, "docs")).Select(Path.GetFileName));
        Assert.Equal("n", (await Open().GetAsync("x", Ct))!.Name);
    }

    [Fact]
    public async Task The_lock_serializes_read_modify_write_across_store_objects()
    {
        await Open().PutAsync("counter", new TestDocument { Count = 0 }, Ct);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            var store = Open();
            using (await store.LockAsync(Ct))
            {
                TestDocument doc = (await store.GetAsync("counter", Ct))!;
                await Task.Yield();
                await store.PutAsync("counter", new TestDocument { Count = doc.Count + 1 }, Ct);
            }
        }));

        Assert.Equal(20, (await Open().GetAsync("counter", Ct))!.Count);
    }

    [Fact]
    public async Task A_corrupt_document_is_an_internal_error_naming_the_file()
    {
        var store = Open();
        await File.WriteAllTextAsync(Path.Combine(store.Directory, "bad.json"), "{not json", Ct);

        var ex = await Assert.ThrowsAsync<Berth.Core.Errors.BerthException>(() => store.GetAsync("bad", Ct));

        Assert.Contains("bad.json", ex.Message, StringComparison.Ordinal);
    }
}
