using Berth.Api.Images;
using Berth.Core.Images;
using Berth.Core.Progress;
using Berth.Daemon.Backends;
using Berth.Daemon.Configuration;
using Berth.Daemon.Events;
using Berth.Testing;
using Berth.Testing.Engines;
using Berth.Testing.Registry;

namespace Berth.Daemon.Tests.Backends;

/// <summary>The image backend as berthd builds it (<see cref="ImageBackend.Create"/>: file content store, overlay
/// snapshots, images.json under a data root) against docker-registry on loopback.</summary>
[Trait("Category", "Privileged")]
public sealed class ImageBackendRegistryTests(LocalRegistryFixture fixture) : IClassFixture<LocalRegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pull_inspect_history_save_remove_and_load_round_trip_on_overlay()
    {
        RegistryRequirements.LoopbackRegistry();
        Requires.Root();
        (_, BusyboxImage busybox) = await fixture.GetAsync();
        string root = Directory.CreateTempSubdirectory("berth-imagesvc-daemon-").FullName;
        var events = new EventBus();
        try
        {
            using (ImageBackend backend = ImageBackend.Create(new DaemonSettings { DataRoot = root }, events))
            {
                ImageReference reference = ImageReference.Parse(busybox.Reference);
                List<ProgressEvent> pull = await CollectAsync(backend.PullAsync(reference, null, null, Ct));
                ImageInspectResponse inspect = await backend.InspectAsync(busybox.Reference, Ct);
                bool upperExists = Directory.Exists(inspect.GraphDriver.Data["UpperDir"]);
                IReadOnlyList<ImageSummary> list = await backend.ListAsync(new ImageListOptions(), Ct);
                IReadOnlyList<ImageHistoryItem> history = await backend.HistoryAsync(busybox.Reference, Ct);
                string archive = Path.Combine(root, "saved.tar");
                await using (FileStream output = File.Create(archive))
                {
                    await backend.SaveAsync([busybox.Reference], output, Ct);
                }

                IReadOnlyList<ImageDeleteResponseItem> removed = await backend.DeleteAsync(busybox.Reference, force: false, noPrune: false, Ct);
                List<ProgressEvent> load;
                await using (FileStream input = File.OpenRead(archive))
                {
                    load = await CollectAsync(backend.LoadAsync(input, Ct));
                }

                ImageInspectResponse reloaded = await backend.InspectAsync(busybox.Reference, Ct);

                Assert.StartsWith($"Status: Downloaded newer image for {busybox.Reference}", pull[^1].Status, StringComparison.Ordinal);
                Assert.Equal(inspect.Id, Assert.Single(list).Id);
                Assert.Equal([busybox.Reference], inspect.RepoTags);
                Assert.Equal("overlay2", inspect.GraphDriver.Name);
                Assert.True(upperExists);
                Assert.Equal(inspect.Id, history[0].Id);
                Assert.Contains(removed, r => r.Deleted == inspect.Id);
                Assert.Equal($"Loaded image: {busybox.Reference}", load[^1].Status);
                Assert.Equal(inspect.Id, reloaded.Id);
                Assert.Equal(inspect.RootFS.Layers, reloaded.RootFS.Layers);
            }
        }
        finally
        {
            foreach (string mount in File.ReadAllLines("/proc/self/mountinfo").Where(l => l.Contains(root, StringComparison.Ordinal)))
            {
                Assert.Fail($"left mounted: {mount}");
            }

            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<List<ProgressEvent>> CollectAsync(IAsyncEnumerable<ProgressEvent> stream)
    {
        var events = new List<ProgressEvent>();
        await foreach (ProgressEvent e in stream)
        {
            events.Add(e);
        }

        return events;
    }
}
