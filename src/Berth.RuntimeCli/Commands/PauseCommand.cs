using System.CommandLine;

namespace Berth.RuntimeCli.Commands;

internal static class PauseCommand
{
    public static Command Create(GlobalOptions globals, bool pause)
    {
        var id = new Argument<string>("container-id");
        var command = pause
            ? new Command("pause", "pause suspends all processes inside the container") { id }
            : new Command("resume", "resumes all processes that have been previously paused") { id };
        command.SetAction(parse => RuntimeCommandLine.Execute(parse, globals, (runtime, _) =>
        {
            if (pause)
            {
                runtime.Pause(parse.GetValue(id)!);
            }
            else
            {
                runtime.Resume(parse.GetValue(id)!);
            }

            return 0;
        }));
        return command;
    }
}
