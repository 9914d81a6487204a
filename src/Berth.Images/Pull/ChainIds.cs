using System.Text;
using Berth.Core.Content;

namespace Berth.Images.Pull;

/// <summary>
/// Chain IDs (OCI image-spec config.md): the first layer's is its diff ID, each next one
/// <c>sha256(parent + " " + diffID)</c>. A chain ID names a whole stack of layers, so it names the committed snapshot.
/// </summary>
public static class ChainIds
{
    public static IReadOnlyList<Digest> Compute(IReadOnlyList<Digest> diffIds)
    {
        ArgumentNullException.ThrowIfNull(diffIds);
        var chain = new Digest[diffIds.Count];
        for (int i = 0; i < diffIds.Count; i++)
        {
            chain[i] = i == 0 ? diffIds[0] : Digest.Compute(Encoding.ASCII.GetBytes($"{chain[i - 1]} {diffIds[i]}"));
        }

        return chain;
    }
}
