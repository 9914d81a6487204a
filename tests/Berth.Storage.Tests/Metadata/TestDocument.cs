namespace Berth.Storage.Tests.Metadata;

public sealed class TestDocument
{
    public string Name { get; set; } = "";

    public int Count { get; set; }
}
