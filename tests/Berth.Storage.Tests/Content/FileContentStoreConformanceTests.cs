using Berth.Core.Content;
using Berth.Storage.Content;
using Berth.Testing.Content;

namespace Berth.Storage.Tests.Content;

public sealed class FileContentStoreConformanceTests : ContentStoreConformance, IDisposable
{
    private readonly TempDirectory _root = new();

    protected override IContentStore CreateStore() => new FileContentStore(System.IO.Path.Combine(_root.Path, Guid.NewGuid().ToString("N")));

    public void Dispose() => _root.Dispose();
}
