using System.IO.Pipelines;
using System.Net.Http;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Registry;

namespace Berth.Images.Pull;

/// <summary>
/// Brings one layer blob into the content store: streamed from the registry into an ingest (hashed as it is
/// written), resumed with <c>Range</c> from the ingest's offset after a broken transfer or a killed process, and
/// committed only when size and digest verify. With a tee, every byte also goes to a pipe (in order, once) so the
/// layer can be unpacked while it downloads; a transfer that cannot continue the tee's byte stream (a resumed
/// ingest, a server ignoring Range) fails the tee and the download goes on alone.
/// </summary>
internal sealed class LayerDownloader(RegistryClient registry, IContentStore content, ImagePullerOptions options)
{
    private const int BufferSize = 256 * 1024;
    private const long ProgressStep = 512 * 1024;

    /// <returns>False when the blob was already in the store (nothing downloaded).</returns>
    public async Task<bool> DownloadAsync(
        ImageReference source, Descriptor layer, string shortId, PullProgress progress, CancellationToken cancellationToken,
        PipeWriter? tee = null)
    {
        IContentWriter writer;
        try
        {
            writer = await content.OpenWriterAsync(ContentStoreExtensions.KeyFor(layer.Digest), layer, cancellationToken);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.AlreadyExists)
        {
            await FailTeeAsync(tee, "the blob is already in the store");
            return false;
        }

        await using (writer)
        {
            var output = new TeeTarget(tee);
            if (writer.Offset > 0)
            {
                await output.FailAsync("the download resumes a partial ingest");
            }

            byte[] buffer = new byte[BufferSize];
            for (int failures = 0; writer.Offset < layer.Size || layer.Size < 0;)
            {
                try
                {
                    await TransferAsync(source, layer, shortId, writer, output, buffer, progress, cancellationToken);
                    break;
                }
                catch (Exception ex) when (IsTransient(ex, cancellationToken) && ++failures < options.MaxTransferAttempts)
                {
                    await Task.Delay(options.TransferRetryDelay * (1 << Math.Min(failures - 1, 6)), cancellationToken);
                }
            }

            await output.CompleteAsync();
            progress.Report(shortId, "Verifying Checksum");
            await writer.CommitAsync(cancellationToken);
            return true;
        }
    }

    private async Task TransferAsync(
        ImageReference source, Descriptor layer, string shortId, IContentWriter writer, TeeTarget output, byte[] buffer,
        PullProgress progress, CancellationToken cancellationToken)
    {
        await using BlobResponse blob = await registry.GetBlobAsync(source, layer.Digest, writer.Offset, cancellationToken);
        if (blob.Offset != writer.Offset)
        {
            // The server ignored Range and sent the whole blob: start the ingest over.
            await writer.ResetAsync(cancellationToken);
            await output.FailAsync("the server ignored Range");
        }

        long total = layer.Size >= 0 ? layer.Size : blob.TotalLength ?? -1;
        long reported = writer.Offset;
        int read;
        while ((read = await blob.Content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
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

    private static async Task FailTeeAsync(PipeWriter? tee, string why)
    {
        if (tee is not null)
        {
            await tee.CompleteAsync(new IOException($"unpacking while downloading stopped: {why}"));
        }
    }

    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && ex switch
        {
            IOException or HttpRequestException => true,
            BerthException b => b.Kind == ErrorKind.Unavailable,
            _ => false,
        };

    /// <summary>The tee's state: bytes flow to it until it fails, after which writes are dropped.</summary>
    private sealed class TeeTarget(PipeWriter? tee)
    {
        private PipeWriter? _tee = tee;

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            if (_tee is null)
            {
                return;
            }

            FlushResult result = await _tee.WriteAsync(data, cancellationToken);
            if (result.IsCompleted)
            {
                // The reader stopped (the unpack failed): keep downloading without it.
                _tee = null;
            }
        }

        public async Task CompleteAsync()
        {
            if (_tee is not null)
            {
                await _tee.CompleteAsync();
                _tee = null;
            }
        }

        public async Task FailAsync(string why)
        {
            await FailTeeAsync(_tee, why);
            _tee = null;
        }
    }
}
