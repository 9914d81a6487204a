using System.Diagnostics;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Spec;
using Berth.Runtime.State;

namespace Berth.Runtime.Hooks;

/// <summary>
/// Runs runtime-spec hooks: each gets the container's state JSON on stdin, its own args and env, and is
/// killed when its timeout passes. A failing hook is an error for the caller to report or, for poststart and
/// poststop, to log.
/// </summary>
public static class HookRunner
{
    public static void RunAll(string stage, IReadOnlyList<SpecHook>? hooks, OciState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (hooks is null || hooks.Count == 0)
        {
            return;
        }

        string stdin = JsonSerializer.Serialize(state, RuntimeJsonContext.Default.OciState);
        for (int i = 0; i < hooks.Count; i++)
        {
            Run($"{stage}[{i}]", hooks[i], stdin);
        }
    }

    private static void Run(string name, SpecHook hook, string stdin)
    {
        if (!File.Exists(hook.Path))
        {
            throw Errors.NotFound($"hook {name}: \"{hook.Path}\": no such file or directory");
        }

        var start = new ProcessStartInfo(hook.Path)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (hook.Args ?? []).Skip(1))
        {
            start.ArgumentList.Add(arg); // args[0] is argv[0], which Process.Start sets to the path
        }

        start.Environment.Clear();
        foreach (string variable in hook.Env ?? [])
        {
            int equals = variable.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                start.Environment[variable[..equals]] = variable[(equals + 1)..];
            }
        }

        using Process process = Process.Start(start) ?? throw Errors.Internal($"hook {name}: could not start {hook.Path}");
        try
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The hook need not read its stdin.
        }

        Task<string> errors = process.StandardError.ReadToEndAsync();
        TimeSpan timeout = hook.Timeout is int seconds ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw Errors.Internal($"hook {name}: \"{hook.Path}\" timed out after {hook.Timeout} s");
        }

        if (process.ExitCode != 0)
        {
            string detail = errors.Wait(TimeSpan.FromSeconds(1)) ? errors.Result.Trim() : "";
            throw Errors.Internal($"hook {name}: \"{hook.Path}\" exited with status {process.ExitCode}{(detail.Length > 0 ? ": " + detail : "")}");
        }
    }
}
