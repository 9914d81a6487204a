namespace Berth.Api.Exec;

/// <summary>The body of <c>POST /containers/{id}/exec</c>.</summary>
public sealed record ExecCreateRequest
{
    public string? User { get; init; }

    public bool Privileged { get; init; }

    public bool Tty { get; init; }

    public IReadOnlyList<int>? ConsoleSize { get; init; }

    public bool AttachStdin { get; init; }

    public bool AttachStderr { get; init; }

    public bool AttachStdout { get; init; }

    public string? DetachKeys { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public string? WorkingDir { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }
}
