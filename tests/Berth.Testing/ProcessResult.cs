namespace Berth.Testing;

/// <summary>What a finished child process left behind. <see cref="ExitCode"/> follows the shell: 128+N when killed by signal N.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"`{Command}` exited {ExitCode} after {Elapsed.TotalMilliseconds:F0} ms\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    /// <summary>Fails the test with the whole result when the exit code is not 0.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            Assert.Fail($"expected exit 0: {this}");
        }

        return this;
    }
}
