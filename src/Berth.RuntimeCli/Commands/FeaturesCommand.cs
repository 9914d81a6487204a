using System.CommandLine;
using Berth.Runtime.Spec;

namespace Berth.RuntimeCli.Commands;

internal static class FeaturesCommand
{
    public static Command Create()
    {
        var command = new Command("features", "show the enabled features");
        command.SetAction(_ =>
        {
            Console.WriteLine(RuntimeFeatures.ToJson());
            return 0;
        });
        return command;
    }
}
