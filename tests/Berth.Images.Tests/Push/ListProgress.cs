using Berth.Core.Progress;

namespace Berth.Images.Tests.Push;

/// <summary>Collects progress events synchronously, in the order reported.</summary>
internal sealed class ListProgress(List<ProgressEvent> events) : IProgress<ProgressEvent>
{
    private readonly Lock _gate = new();

    public void Report(ProgressEvent value)
    {
        lock (_gate)
        {
            events.Add(value);
        }
    }
}
