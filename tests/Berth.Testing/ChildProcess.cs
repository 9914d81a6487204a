using System.Diagnostics;

namespace Berth.Testing;

/// <summary>
/// Runs a program with stdin from /dev/null and stdout/stderr sent to FILES, not pipes. A container started by
/// <c>create</c> or <c>run --detach</c> inherits the runtime's stdio; with pipes, waiting for the runtime would also
/// wait for the container to close them. A /bin/sh wrapper does the redirection and then execs the program, so the
/// PID we hold is the program's own.
/// </summary>
public static class ChildProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <param name="outputPrefix">Path prefix for the .out/.err files (kept for later reading); a temp file if null.</param>
    public static async Task<ProcessResult> RunAsync(
        string program,
        IReadOnlyList<string> args,
        TimeSpan? timeout = null,
        string? outputPrefix = null,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default)
    {
        bool ownFiles = outputPrefix is null;
        outputPrefix ??= Path.Combine(Path.GetTempPath(), $"berth-child-{Guid.NewGuid():N}");
        string outPath = outputPrefix + ".out", errPath = outputPrefix + ".err";
        var psi = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$0\" \"$@\" </dev/null >\"$BERTH_CHILD_OUT\" 2>\"$BERTH_CHILD_ERR\"");
        psi.ArgumentList.Add(program);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["BERTH_CHILD_OUT"] = outPath;
        psi.Environment["BERTH_CHILD_ERR"] = errPath;
        string command = string.Join(' ', new[] { program }.Concat(args).Select(Quote));
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {program}");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Only the process we started and its descendants (found by PID, never by name).
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            string partialOut = ReadAndMaybeDelete(outPath, ownFiles), partialErr = ReadAndMaybeDelete(errPath, ownFiles);
            throw new TimeoutException(
                $"`{command}` did not finish within {(timeout ?? DefaultTimeout).TotalSeconds} s\n--- stdout ---\n{partialOut}\n--- stderr ---\n{partialErr}");
        }

        stopwatch.Stop();
        return new ProcessResult(command, process.ExitCode, ReadAndMaybeDelete(outPath, ownFiles), ReadAndMaybeDelete(errPath, ownFiles), stopwatch.Elapsed);
    }

    private static string ReadAndMaybeDelete(string path, bool delete)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        string text = File.ReadAllText(path);
        if (delete)
        {
            File.Delete(path);
        }

        return text;
    }

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@%+".Contains(c, StringComparison.Ordinal)) ? s : "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
