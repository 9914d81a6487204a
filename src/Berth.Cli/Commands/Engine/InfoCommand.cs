using System.CommandLine;
using System.Text;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Engine;

internal static class InfoCommand
{
    public static Command Create(CliContext cli, string name = "info")
    {
        var format = new Option<string?>("--format", "-f") { Description = "Format output using a custom template" };
        var command = new Command(name, "Display system-wide information") { format }.WithUsage("[OPTIONS]");
        return command.Runs(cli, async (parse, ct) =>
        {
            string? fmt = parse.GetValue(format);
            if (fmt is not null)
            {
                var template = fmt == "json" ? null : CliActions.ParseFormat(fmt, "", status: 64);
                var raw = await cli.Client.InfoRawAsync(ct);
                if (template is null)
                {
                    await cli.Out.WriteLineAsync(Templates.GoValues.ToJson(raw));
                    return 0;
                }

                var sb = new StringBuilder();
                template.Execute(raw, sb);
                await cli.Out.WriteLineAsync(sb.ToString());
                return 0;
            }

            var info = await cli.Client.InfoAsync(ct);
            var text = new StringBuilder();
            text.Append("Client:\n Version:    ").Append(typeof(InfoCommand).Assembly.GetName().Version?.ToString(3)).Append("\n Context:    default\n Debug Mode: false\n\n");
            text.Append("Server:\n");
            text.Append($" Containers: {info.Containers}\n  Running: {info.ContainersRunning}\n  Paused: {info.ContainersPaused}\n  Stopped: {info.ContainersStopped}\n");
            text.Append($" Images: {info.Images}\n");
            text.Append($" Server Version: {info.ServerVersion}\n");
            text.Append($" Storage Driver: {info.Driver}\n");
            foreach (var pair in info.DriverStatus)
            {
                text.Append("  ").Append(string.Join(": ", pair)).Append('\n');
            }

            text.Append($" Logging Driver: {info.LoggingDriver}\n");
            text.Append($" Cgroup Driver: {info.CgroupDriver}\n");
            text.Append($" Cgroup Version: {info.CgroupVersion}\n");
            text.Append($" Runtimes: {string.Join(' ', info.Runtimes.Keys.Order(StringComparer.Ordinal))}\n");
            text.Append($" Default Runtime: {info.DefaultRuntime}\n");
            text.Append(" Security Options:\n");
            foreach (string option in info.SecurityOptions)
            {
                text.Append("  ").Append(option.Replace("name=", "", StringComparison.Ordinal)).Append('\n');
            }

            text.Append($" Kernel Version: {info.KernelVersion}\n");
            text.Append($" Operating System: {info.OperatingSystem}\n");
            text.Append($" OSType: {info.OSType}\n");
            text.Append($" Architecture: {info.Architecture}\n");
            text.Append($" CPUs: {info.NCPU}\n");
            text.Append($" Total Memory: {HumanUnits.BinarySize(info.MemTotal)}\n");
            text.Append($" Name: {info.Name}\n");
            text.Append($" ID: {info.Id}\n");
            text.Append($" Docker Root Dir: {info.DockerRootDir}\n");
            text.Append($" Debug Mode: {(info.Debug ? "true" : "false")}\n");
            text.Append($" Experimental: {(info.ExperimentalBuild ? "true" : "false")}\n");
            text.Append($" Live Restore Enabled: {(info.LiveRestoreEnabled ? "true" : "false")}\n");
            await cli.Out.WriteAsync(text.ToString());
            foreach (string warning in info.Warnings ?? [])
            {
                await cli.Err.WriteLineAsync(warning);
            }

            return 0;
        });
    }
}
