namespace Berth.Images.Tests.Layers;

/// <summary>A scratch directory holding the layer target and a sentinel next to it that must stay empty.</summary>
internal sealed class TempLayer : IDisposable
{
    public TempLayer()
    {
        Base = Directory.CreateTempSubdirectory("berth-layer-").FullName;
        Target = Path.Combine(Base, "layer");
        Sentinel = Path.Combine(Base, "sentinel");
        Directory.CreateDirectory(Target);
        Directory.CreateDirectory(Sentinel);
    }

    public string Base { get; }

    public string Target { get; }

    public string Sentinel { get; }

    public string this[string relative] => Path.Combine(Target, relative);

    public void Dispose() => Directory.Delete(Base, recursive: true);
}
