using Berth.Core.Images;
using Berth.Core.Progress;
using Berth.Images.Pull;
using Berth.Images.Store;
using Berth.Registry;
using Berth.Storage.Content;
using Berth.Testing.Snapshots;

namespace Berth.Images.Tests.Pull;

/// <summary>A puller over a real content store, the directory snapshotter and an image store in one temp root.</summary>
internal sealed class PullEnvironment : IDisposable
{
    public PullEnvironment(RegistryClientOptions? registry = null, ImagePullerOptions? options = null, string? root = null)
    {
        Root = root ?? Directory.CreateTempSubdirectory("berth-pull-test-").FullName;
        Content = new FileContentStore(Path.Combine(Root, "content"));
        Snapshots = new DirectorySnapshotter(Path.Combine(Root, "snapshots"));
        Images = new ImageStore(Path.Combine(Root, "metadata"));
        Client = new RegistryClient(registry ?? new RegistryClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10) });
        Puller = new ImagePuller(Client, Content, Snapshots, Images, options ?? new ImagePullerOptions { TransferRetryDelay = TimeSpan.FromMilliseconds(10) });
    }

    public string Root { get; }

    public FileContentStore Content { get; }

    public DirectorySnapshotter Snapshots { get; }

    public ImageStore Images { get; }

    public RegistryClient Client { get; }

    public ImagePuller Puller { get; }

    public async Task<(ImageRecord Image, List<ProgressEvent> Events)> PullAsync(string reference, Platform? platform = null)
    {
        var events = new List<ProgressEvent>();
        ImageRecord image = await Puller.PullAsync(
            ImageReference.Parse(reference), platform, new SynchronousProgress(events.Add), TestContext.Current.CancellationToken);
        return (image, events);
    }

    /// <summary>The root directory of the image's top snapshot (the directory snapshotter holds whole trees).</summary>
    public string TreeOf(ImageRecord image) => Snapshots.PathOf(image.ChainId!);

    public void Dispose()
    {
        Client.Dispose();
        Images.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    private sealed class SynchronousProgress(Action<ProgressEvent> report) : IProgress<ProgressEvent>
    {
        public void Report(ProgressEvent value) => report(value);
    }
}
