using Berth.Core.Content;

namespace Berth.Registry;

/// <summary>A manifest or index as the registry served it: its descriptor (digest verified) and exact bytes.</summary>
internal sealed record RegistryManifest(Descriptor Descriptor, ReadOnlyMemory<byte> Content);
