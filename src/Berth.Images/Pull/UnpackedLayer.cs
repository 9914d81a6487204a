using Berth.Images.Layers;

namespace Berth.Images.Pull;

/// <summary>
/// A layer unpacked into active snapshot <paramref name="Key"/>, not committed yet. <paramref name="Detached"/>: the
/// snapshot was prepared without its parent (not committed then) and is rebased onto it before the commit.
/// </summary>
internal sealed record UnpackedLayer(string Key, bool Detached, LayerApplyResult Result);
