using System.CommandLine;
using Berth.Core.Errors;
using Berth.Linux.Spawn;
using Berth.Runtime.Lifecycle;
using Berth.Runtime.State;
using Berth.RuntimeCli.Commands;

namespace Berth.RuntimeCli;

/// <summary>The runc-compatible command line: the same verbs, flags and exit codes other engines call.</summary>
internal static class RuntimeCommandLine
{
    public const string Version = "0.1.0";

    public static int Run(string[] args)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("berth-runtime: an OCI runtime (runc-compatible command line)");
        globals.AddTo(root);
        var version = root.Options.OfType<VersionOption>().FirstOrDefault();
        if (version is not null)
        {
            version.Action = new PrintVersionAction();
        }

        foreach (Command command in new[]
        {
            CreateCommand.Create(globals), StartCommand.Create(globals), StateCommand.Create(globals),
            KillCommand.Create(globals), DeleteCommand.Create(globals), RunCommand.Create(globals),
            ListCommand.Create(globals), PsCommand.Create(globals), PauseCommand.Create(globals, pause: true),
            PauseCommand.Create(globals, pause: false), ExecCommand.Create(globals), UpdateCommand.Create(globals), FeaturesCommand.Create(), SpecCommand.Create(),
        })
        {
            root.Subcommands.Add(command);
        }

        ParseResult parse = root.Parse(ExecArguments.Normalize(args));
        if (parse.Errors.Count > 0)
        {
            // Usage errors reach --log too: engines report the runtime's failure from that file.
            var log = new RuntimeLog(parse.GetValue(globals.Log), parse.GetValue(globals.LogFormat) == "json", debug: false);
            foreach (var error in parse.Errors)
            {
                log.Error(error.Message);
            }

            return 1;
        }

        return parse.Invoke();
    }

    /// <summary>Runs one verb with the runtime built from the global flags; errors become stderr + log + exit 1.</summary>
    public static int Execute(ParseResult parse, GlobalOptions globals, Func<OciRuntime, RuntimeLog, int> action)
    {
        var log = new RuntimeLog(parse.GetValue(globals.Log), parse.GetValue(globals.LogFormat) == "json", parse.GetValue(globals.Debug));
        try
        {
            var runtime = new OciRuntime(
                new StateStore(Path.GetFullPath(parse.GetValue(globals.Root)!)),
                StubProcessSpawner.Instance,
                OciRuntime.DefaultCgroupRoot,
                Environment.ProcessPath ?? "/proc/self/exe")
            {
                Warn = log.Warning,
            };
            return action(runtime, log);
        }
        catch (BerthException ex)
        {
            log.Error(ex.Message);
            return 1;
        }
        catch (IOException ex)
        {
            log.Error(ex.Message);
            return 1;
        }
        catch (UnauthorizedAccessException ex)
        {
            log.Error(ex.Message);
            return 1;
        }
    }

    private sealed class PrintVersionAction : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            Console.WriteLine($"berth-runtime version {Version}");
            Console.WriteLine("spec: 1.2.0");
            return 0;
        }
    }
}
