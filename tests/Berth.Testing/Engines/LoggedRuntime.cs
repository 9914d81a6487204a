namespace Berth.Testing.Engines;

/// <summary>
/// A /bin/bash wrapper handed to an engine in place of an OCI runtime binary. It appends every call to <see cref="LogPath"/>:
/// time, cwd and argv (shell-quoted); for commands that do not hand their stdio to a container (state, delete, kill,
/// features, --version…) also the exit code, stdout and stderr. For create/run/exec/start the runtime's stdio is the
/// container's, so it is passed through untouched (only the exit code is logged) and the runtime's <c>--log</c> file,
/// when the engine names one, is appended after the call. That is how a failure names the exact command line the
/// engine ran. The wrapper has the runtime's own file name, so engines that key behaviour on it see the same name.
/// </summary>
public sealed class LoggedRuntime
{
    private LoggedRuntime(string realPath, string wrapperPath, string logPath, string? root)
    {
        Root = root;
        RealPath = realPath;
        Path = wrapperPath;
        LogPath = logPath;
    }

    /// <summary>The runtime binary being wrapped.</summary>
    public string RealPath { get; }

    /// <summary>The wrapper: give this path to the engine.</summary>
    public string Path { get; }

    public string LogPath { get; }

    /// <summary>The <c>--root</c> the wrapper adds to every call, or null when the engine chooses it.</summary>
    public string? Root { get; }

    /// <summary>The whole log so far.</summary>
    public string Calls => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>
    /// Writes the wrapper into <paramref name="dir"/>/<c>NAME</c>/ (NAME the runtime's file name). With
    /// <paramref name="root"/>, every call gets <c>--root ROOT</c> first: podman 4.3 passes no <c>--root</c> (the
    /// runtime's default state dir, shared with other users of runc on the machine) and drops <c>--runtime-flag</c>s
    /// on <c>delete</c>, so the wrapper is the only way to give it a root of its own.
    /// </summary>
    public static LoggedRuntime Create(string realPath, string dir, string? root = null)
    {
        string name = System.IO.Path.GetFileName(realPath);
        string binDir = System.IO.Path.Combine(dir, "runtime-" + name);
        Directory.CreateDirectory(binDir);
        if (root is not null)
        {
            Directory.CreateDirectory(root);
        }

        string wrapper = System.IO.Path.Combine(binDir, name);
        string log = System.IO.Path.Combine(dir, name + "-calls.log");
        string rootArgs = root is null ? "" : $"--root {Quote(root)} ";
        string rootNote = root is null ? "" : $"echo '(the wrapper runs {name} with --root {root} before these)'";
        File.WriteAllText(wrapper, $$"""
            #!/bin/bash
            # Written by Berth.Testing.Engines.LoggedRuntime: logs each call, then runs the real runtime.
            REAL={{Quote(realPath)}}
            LOG={{Quote(log)}}
            {
              printf '=== %s pid=%s cwd=%s\n' "$(date +%T.%N)" "$$" "$PWD"
              printf 'argv:'; printf ' %q' "$@"; printf '\n'
              {{rootNote}}
            } >>"$LOG"
            logfile=
            stdio=0
            prev=
            for a in "$@"; do
              case "$prev" in --log) logfile=$a ;; esac
              case "$a" in --log=*) logfile=${a#--log=} ;; create|run|exec|start|restore) stdio=1 ;; esac
              prev=$a
            done
            if [ $stdio = 0 ]; then
              out=$(mktemp) err=$(mktemp)
              "$REAL" {{rootArgs}}"$@" >"$out" 2>"$err"; rc=$?
              { echo "exit: $rc"; echo "--- stdout:"; cat "$out"; echo "--- stderr:"; cat "$err"; } >>"$LOG"
              cat "$out"; cat "$err" >&2
              rm -f "$out" "$err"
              exit $rc
            fi
            size=0
            if [ -n "$logfile" ] && [ -f "$logfile" ]; then size=$(stat -c %s "$logfile"); fi
            "$REAL" {{rootArgs}}"$@"; rc=$?
            {
              echo "exit: $rc (stdio is the container's: not captured)"
              if [ -n "$logfile" ] && [ -f "$logfile" ]; then echo "--- new lines of $logfile:"; tail -c +$((size + 1)) "$logfile"; echo; fi
            } >>"$LOG"
            exit $rc

            """);
        File.SetUnixFileMode(wrapper, (UnixFileMode)0x1ED); // 0755
        return new LoggedRuntime(realPath, wrapper, log, root);
    }

    /// <summary>The log's length now; pass it to <see cref="CallsSince"/> to see only one test's calls.</summary>
    public long Mark() => File.Exists(LogPath) ? new FileInfo(LogPath).Length : 0;

    public string CallsSince(long mark)
    {
        if (!File.Exists(LogPath))
        {
            return "";
        }

        byte[] all = File.ReadAllBytes(LogPath);
        return mark < all.Length ? System.Text.Encoding.UTF8.GetString(all, (int)mark, all.Length - (int)mark) : "";
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
