using System.Text.Json.Serialization;

namespace Berth.Images.Store;

/// <summary>The image store's persisted types (source-generated: NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(DigestJsonConverter)])]
[JsonSerializable(typeof(ImageStoreDocument))]
internal sealed partial class ImageStoreJsonContext : JsonSerializerContext;
