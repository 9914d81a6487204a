using Berth.Testing.Engines;

namespace Berth.Integration.Tests.Snapshots;

/// <summary>Builds <see cref="TestImages.MultiLayerAsync"/> once per test class, on first use (so unprivileged runs build nothing).</summary>
public sealed class MultiLayerImageFixture : IAsyncDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), $"berth-snapshots-image-{Guid.NewGuid():N}");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private OciLayout? _layout;
    private string? _umociRootfs;

    /// <summary>The image and <c>umoci unpack</c>'s rootfs of it, the reference tree.</summary>
    public async Task<(OciLayout Layout, string UmociRootfs)> GetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_layout is null)
            {
                Directory.CreateDirectory(_work);
                _layout = await TestImages.MultiLayerAsync(Path.Combine(_work, "layout"));
                _umociRootfs = await _layout.UnpackWithUmociAsync(Path.Combine(_work, "umoci-bundle"));
            }

            return (_layout, _umociRootfs!);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ProcessTools.DeleteTreeAsync(_work);
        _gate.Dispose();
    }
}
