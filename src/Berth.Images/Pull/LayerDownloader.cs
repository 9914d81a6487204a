using System.Net.Http;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Registry;

namespace Berth.Images.Pull;

/// <summary>
/// Brings one layer blob into the content store: streamed from the registry into an ingest (hashed as it is
/// written), resumed with <c>Range</c> from the ingest's offset after a broken transfer or a killed process, and
/// committed only when size and digest verify.
/// </summary>
internal sealed class LayerDownloader(RegistryClient registry, IContentStore content, ImagePullerOptions options)
{
    private const int BufferSize = 256 * 1024;
    private const long ProgressStep = 512 * 1024;

    /// <returns>False when the blob was already in the store (nothing downloaded).</returns>
    public async Task<bool> DownloadAsync(
        ImageReference source, Descriptor layer, string shortId, PullProgress progress, CancellationToken cancellationToken)
    {
        IContentWriter writer;
        try
        {
            writer = await content.OpenWriterAsync(ContentStoreExtensions.KeyFor(layer.Digest), layer, cancellationToken);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.AlreadyExists)
        {
            return false;
        }

        await using (writer)
        {
            byte[] buffer = new byte[BufferSize];
            for (int failures = 0; writer.Offset < layer.Size || layer.Size < 0;)
            {
                try
                {
                    await TransferAsync(source, layer, shortId, writer, buffer, progress, cancellationToken);
                    break;
                }
                catch (Exception ex) when (IsTransient(ex, cancellationToken) && ++failures < options.MaxTransferAttempts)
                {
                    await Task.Delay(options.TransferRetryDelay * (1 << Math.Min(failures - 1, 6)), cancellationToken);
                }
            }

            progress.Report(shortId, "Verifying Checksum");
            await writer.CommitAsync(cancellationToken);
            return true;
        }
    }

    private async Task TransferAsync(
        ImageReference source, Descriptor layer, string shortId, IContentWriter writer, byte[] buffer,
        PullProgress progress, CancellationToken cancellationToken)
    {
        await using BlobResponse blob = await registry.GetBlobAsync(source, layer.Digest, writer.Offset, cancellationToken);
        if (blob.Offset != writer.Offset)
        {
            // The server ignored Range and sent the whole blob: start the ingest over.
            await writer.ResetAsync(cancellationToken);
        }

        long total = layer.Size >= 0 ? layer.Size : blob.TotalLength ?? -1;
        long reported = writer.Offset;
        int read;
        while ((read = await blob.Content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            if (writer.Offset - reported >= ProgressStep)
            {
                reported = writer.Offset;
                progress.Report(shortId, "Downloading", writer.Offset, total);
            }
        }

        if (layer.Size >= 0 && writer.Offset < layer.Size)
        {
            throw new IOException($"blob {layer.Digest}: the transfer ended at {writer.Offset} of {layer.Size} bytes");
        }

        progress.Report(shortId, "Downloading", writer.Offset, total);
    }

    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && ex switch
        {
            IOException or HttpRequestException => true,
            BerthException b => b.Kind == ErrorKind.Unavailable,
            _ => false,
        };
}
