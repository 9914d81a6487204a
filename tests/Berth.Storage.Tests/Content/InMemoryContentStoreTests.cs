using Berth.Core.Content;
using Berth.Testing.Content;

namespace Berth.Storage.Tests.Content;

/// <summary>The fake must behave like the real store, or tests built on it prove nothing.</summary>
public sealed class InMemoryContentStoreTests : ContentStoreConformance
{
    protected override IContentStore CreateStore() => new InMemoryContentStore();
}
