namespace Berth.Api.Containers;

/// <summary>Why a wait ended without an exit status.</summary>
public sealed record WaitExitError
{
    public string Message { get; init; } = "";
}
