// A pull in its own process, for tests that kill it mid-pull and for bench/pull.sh:
//   Berth.PullProbe ROOT REFERENCE [--platform os/arch] [--max-downloads N] [--tree]
// ROOT gets content/, snapshots/ and metadata/. Snapshots are layer directories (an overlay upper dir each) unless
// --tree asks for whole trees. Progress goes to stdout one event a line; the image ID is the last line.
using Berth.Core.Images;
using Berth.Core.Progress;
using Berth.Images.Pull;
using Berth.Images.Store;
using Berth.Registry;
using Berth.Storage.Content;
using Berth.Testing.Snapshots;

if (args.Length < 2)
{
    await Console.Error.WriteLineAsync("usage: Berth.PullProbe ROOT REFERENCE [--platform os/arch] [--max-downloads N] [--tree]");
    return 2;
}

string root = args[0];
ImageReference reference = ImageReference.Parse(args[1]);
Platform? platform = null;
var options = new ImagePullerOptions();
bool tree = false;
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
        default:
            await Console.Error.WriteLineAsync($"unknown option {args[i]}");
            return 2;
    }
}

using var client = new RegistryClient();
using var images = new ImageStore(Path.Combine(root, "metadata"));
var puller = new ImagePuller(
    client, new FileContentStore(Path.Combine(root, "content")),
    new DirectorySnapshotter(Path.Combine(root, "snapshots"), copyParent: tree), images, options);
ImageRecord image = await puller.PullAsync(reference, platform, new ConsoleProgress());
Console.WriteLine(image.Id);
return 0;

/// <summary>Prints each event as it comes: <c>id: status [current/total]</c>.</summary>
internal sealed class ConsoleProgress : IProgress<ProgressEvent>
{
    public void Report(ProgressEvent value) =>
        Console.WriteLine($"{value.Id}: {value.Status}{(value.Current is { } c ? $" {c}/{value.Total}" : "")}");
}
