using System.CommandLine;
using Berth.Runtime.Spec;

namespace Berth.RuntimeCli.Commands;

internal static class SpecCommand
{
    public static Command Create()
    {
        var bundle = new Option<string>("--bundle", "-b") { Description = "path to the root of the bundle directory", DefaultValueFactory = _ => "." };
        var rootless = new Option<bool>("--rootless") { Description = "accepted for compatibility", Hidden = true };
        var command = new Command("spec", "create a new specification file (config.json)") { bundle, rootless };
        command.SetAction(parse =>
        {
            string path = Path.Combine(parse.GetValue(bundle)!, "config.json");
            if (File.Exists(path))
            {
                Console.Error.WriteLine("File config.json already exists. Remove it first or use another bundle path.");
                return 1;
            }

            File.WriteAllText(path, DefaultSpec.ToJson(DefaultSpec.Create()) + "\n");
            return 0;
        });
        return command;
    }
}
