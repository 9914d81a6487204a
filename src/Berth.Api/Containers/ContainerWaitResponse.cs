namespace Berth.Api.Containers;

/// <summary><c>POST /containers/{id}/wait</c>: the exit status, and an error when waiting itself failed.</summary>
public sealed record ContainerWaitResponse
{
    public long StatusCode { get; init; }

    public WaitExitError? Error { get; init; }
}
