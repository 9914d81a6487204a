using Berth.Core.Errors;

namespace Berth.Runtime.Cgroups;

internal sealed partial class CgroupV2Manager
{
    /// <summary>
    /// linux.resources.unified: each key is a file in the container's cgroup ("memory.high", "io.max").
    /// A key is a bare file name; anything that could reach another cgroup is rejected.
    /// </summary>
    private void ApplyUnified(CgroupResources r)
    {
        if (r.Unified is null)
        {
            return;
        }

        foreach ((string key, string value) in r.Unified)
        {
            if (key.Length == 0 || key.Contains('/', StringComparison.Ordinal) || key.Contains("..", StringComparison.Ordinal) || key == ".")
            {
                throw Errors.InvalidArgument($"linux.resources.unified key \"{key}\" must be a file name in the container's cgroup");
            }

            if (!CgroupFile.Exists(FullPath, key))
            {
                string controller = key.Split('.')[0];
                throw Errors.NotImplemented(
                    $"linux.resources.unified key \"{key}\": no such file in {FullPath} (is the \"{controller}\" controller enabled?)");
            }

            CgroupFile.Write(FullPath, key, value);
        }
    }
}
