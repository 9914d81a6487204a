using Berth.Core.Progress;

namespace Berth.Images.Pull;

/// <summary>Reports progress events one at a time whatever thread they come from, and never lets a faulty
/// observer break the pull.</summary>
internal sealed class PullProgress(IProgress<ProgressEvent>? sink)
{
    private readonly Lock _gate = new();

    public void Report(string? id, string status, long? current = null, long? total = null)
    {
        if (sink is null)
        {
            return;
        }

        lock (_gate)
        {
            sink.Report(new ProgressEvent(id, status) { Current = current, Total = total });
        }
    }
}
