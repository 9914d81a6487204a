using Berth.Core.Errors;

namespace Berth.Images.Layers;

/// <summary>
/// A tar entry name cleaned lexically the way Docker's applier does (<c>filepath.Clean</c> joined to the layer root):
/// absolute names are taken relative to the root, and a <c>..</c> that would climb above it is refused.
/// </summary>
internal readonly record struct LayerPath(string[] Components)
{
    public bool IsRoot => Components.Length == 0;

    public string Name => Components[^1];

    public string Parent => string.Join('/', Components[..^1]);

    public override string ToString() => string.Join('/', Components);

    public static LayerPath Parse(string entryName, string? what = null)
    {
        var components = new List<string>();
        foreach (string part in entryName.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (components.Count == 0)
                {
                    throw Errors.InvalidArgument($"layer entry \"{entryName}\": {what ?? "path"} escapes the layer directory");
                }

                components.RemoveAt(components.Count - 1);
                continue;
            }

            components.Add(part);
        }

        return new LayerPath([.. components]);
    }
}
