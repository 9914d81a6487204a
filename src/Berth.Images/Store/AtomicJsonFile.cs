using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Core.Errors;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Images.Store;

/// <summary>A JSON document written temp → fsync → rename → fsync dir (ARCHITECTURE.md §4).</summary>
internal sealed class AtomicJsonFile<T>(string path, JsonTypeInfo<T> type) : IDocumentFile<T>
    where T : class
{
    public async Task<T?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw Errors.Internal($"{path}: corrupt metadata: {ex.Message}", ex);
        }
    }

    public async Task WriteAsync(T document, CancellationToken cancellationToken)
    {
        string directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        string temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await JsonSerializer.SerializeAsync(stream, document, type, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        using SafeFd dir = FileDescriptors.OpenDirectory(directory);
        using var handle = new SafeFileHandle(dir.DangerousGetHandle(), ownsHandle: false);
        RandomAccess.FlushToDisk(handle);
    }
}
