namespace Berth.Images.Layers;

/// <summary>The tar header typeflag bytes a layer may contain (POSIX ustar, pax and the GNU long-name extensions).</summary>
internal static class TarTypeFlag
{
    public const byte RegularFile = (byte)'0', OldRegularFile = 0, HardLink = (byte)'1', SymbolicLink = (byte)'2',
        CharacterDevice = (byte)'3', BlockDevice = (byte)'4', Directory = (byte)'5', Fifo = (byte)'6', Contiguous = (byte)'7',
        PaxHeader = (byte)'x', PaxGlobalHeader = (byte)'g', GnuLongName = (byte)'L', GnuLongLink = (byte)'K';

    /// <summary>Types whose header size field does not announce data (Go's isHeaderOnlyType).</summary>
    public static bool IsHeaderOnly(byte type) =>
        type is HardLink or SymbolicLink or CharacterDevice or BlockDevice or Directory or Fifo;

    public static bool IsRegular(byte type) => type is RegularFile or OldRegularFile or Contiguous;
}
