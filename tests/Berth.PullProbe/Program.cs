// A pull in its own process, for tests that kill it mid-pull and for bench/pull.sh:
//   Berth.PullProbe ROOT REFERENCE [--platform os/arch] [--max-downloads N] [--tree | --overlay] [--download-first] [--repeat N]
// ROOT gets content/, snapshots/ and metadata/. Snapshots are layer directories (an overlay upper dir each) unless
// --tree asks for whole trees or --overlay for berthd's OverlaySnapshotter (layers unpacked in parallel, rebased).
// Progress goes to stdout one event a line; the image ID is the last line.
// --repeat N pulls N times, each into a fresh ROOT/N, and prints each pull's wall and CPU time to stderr (warm-process cost).
using Berth.Core.Images;
using Berth.Core.Progress;
using Berth.Images.Pull;
using Berth.Images.Store;
using Berth.Registry;
using Berth.Storage.Content;
using Berth.Storage.Snapshots;
using Berth.Testing.Snapshots;

if (args.Length < 2)
{
    await Console.Error.WriteLineAsync("usage: Berth.PullProbe ROOT REFERENCE [--platform os/arch] [--max-downloads N] [--tree | --overlay] [--download-first] [--repeat N]");
    return 2;
}

string root = args[0];
ImageReference reference = ImageReference.Parse(args[1]);
Platform? platform = null;
var options = new ImagePullerOptions();
bool tree = false;
bool overlay = false;
int repeat = 1;
for (int i = 2; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--platform":
            platform = Platform.Parse(args[++i]);
            break;
        case "--max-downloads":
            options = options with { MaxConcurrentDownloads = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture) };
            break;
        case "--tree":
            tree = true;
            break;
        case "--overlay":
            overlay = true;
            break;
        case "--download-first":
            options = options with { UnpackWhileDownloading = false };
            break;
        case "--repeat":
            repeat = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        default:
            await Console.Error.WriteLineAsync($"unknown option {args[i]}");
            return 2;
    }
}

using var client = new RegistryClient();
for (int run = 1; run <= repeat; run++)
{
    string runRoot = repeat == 1 ? root : Path.Combine(root, run.ToString(System.Globalization.CultureInfo.InvariantCulture));
    var watch = System.Diagnostics.Stopwatch.StartNew();
    TimeSpan cpu = Environment.CpuUsage.TotalTime;
    using var images = new ImageStore(Path.Combine(runRoot, "metadata"));
    var puller = new ImagePuller(
        client, new FileContentStore(Path.Combine(runRoot, "content")),
        overlay ? new OverlaySnapshotter(Path.Combine(runRoot, "snapshots")) : new DirectorySnapshotter(Path.Combine(runRoot, "snapshots"), copyParent: tree),
        images, options);
    ImageRecord image = await puller.PullAsync(reference, platform, new ConsoleProgress());
    Console.WriteLine(image.Id);
    if (repeat > 1)
    {
        await Console.Error.WriteLineAsync(
            $"pull {run}: {watch.Elapsed.TotalSeconds:F3} s (cpu {(Environment.CpuUsage.TotalTime - cpu).TotalSeconds:F3} s)");
    }
}

return 0;

/// <summary>Prints each event as it comes: <c>id: status [current/total]</c>.</summary>
internal sealed class ConsoleProgress : IProgress<ProgressEvent>
{
    public void Report(ProgressEvent value) =>
        Console.WriteLine($"{value.Id}: {value.Status}{(value.Current is { } c ? $" {c}/{value.Total}" : "")}");
}
