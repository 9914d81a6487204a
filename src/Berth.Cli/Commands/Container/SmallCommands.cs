using System.CommandLine;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Container;

/// <summary>top, rename, port: one request and a short print.</summary>
internal static class SmallCommands
{
    public static Command Top(CliContext cli)
    {
        var name = new Argument<string>("CONTAINER");
        var psArgs = new Argument<string[]>("ps OPTIONS") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("top", "Display the running processes of a container") { name, psArgs }.WithUsage("CONTAINER [ps OPTIONS]").StopOptionsAfter(1);
        return command.Runs(cli, async (parse, ct) =>
        {
            string[] args = parse.GetValue(psArgs) ?? [];
            var top = await cli.Client.ContainerTopAsync(parse.GetValue(name)!, args.Length == 0 ? null : string.Join(' ', args), ct);
            var text = new System.Text.StringBuilder();
            text.AppendJoin('\t', top.Titles).Append('\n');
            foreach (var process in top.Processes)
            {
                text.AppendJoin('\t', process).Append('\n');
            }

            await cli.Out.WriteAsync(TabWriter.Format(text.ToString(), minWidth: 20, padding: 1));
            return 0;
        });
    }

    public static Command Rename(CliContext cli)
    {
        var name = new Argument<string>("CONTAINER");
        var newName = new Argument<string>("NEW_NAME");
        var command = new Command("rename", "Rename a container") { name, newName }.WithUsage("CONTAINER NEW_NAME");
        return command.Runs(cli, async (parse, ct) =>
        {
            string target = parse.GetValue(newName)!.Trim();
            if (target.Length == 0)
            {
                throw new StatusException(1, "Error: new name cannot be blank");
            }

            await cli.Client.ContainerRenameAsync(parse.GetValue(name)!, target, ct);
            return 0;
        });
    }

    public static Command Port(CliContext cli)
    {
        var name = new Argument<string>("CONTAINER");
        var port = new Argument<string?>("PRIVATE_PORT[/PROTO]") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("port", "List port mappings or a specific mapping for the container") { name, port }.WithUsage("CONTAINER [PRIVATE_PORT[/PROTO]]");
        return command.Runs(cli, async (parse, ct) =>
        {
            var inspect = await cli.Client.ContainerInspectAsync(parse.GetValue(name)!, ct);
            string? wanted = parse.GetValue(port);
            if (wanted is not null && !wanted.Contains('/', StringComparison.Ordinal))
            {
                wanted += "/tcp";
            }

            var ports = inspect.NetworkSettings.Ports;
            bool any = false;
            foreach (var (key, bindings) in ports.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (wanted is not null && key != wanted)
                {
                    continue;
                }

                foreach (var binding in bindings ?? [])
                {
                    any = true;
                    string host = string.IsNullOrEmpty(binding.HostIp) ? "0.0.0.0" : binding.HostIp;
                    await cli.Out.WriteLineAsync(wanted is null ? $"{key} -> {host}:{binding.HostPort}" : $"{host}:{binding.HostPort}");
                }
            }

            if (wanted is not null && !any)
            {
                throw new StatusException(1, $"Error: No public port '{wanted}' published for {parse.GetValue(name)}");
            }

            return 0;
        });
    }
}
