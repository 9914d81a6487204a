using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Spec;

namespace Berth.RuntimeCli.Commands;

/// <summary>runc update: new cgroup limits for a live container, from flags or a resources JSON (-r, "-" for stdin).</summary>
internal static class UpdateCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var resourcesFile = new Option<string?>("--resources", "-r") { Description = "path to a file containing the resources to update or '-' to read from the standard input" };
        var memory = new Option<string?>("--memory") { Description = "Memory limit (in bytes, or with k/m/g)" };
        var reservation = new Option<string?>("--memory-reservation") { Description = "Memory reservation or soft_limit (in bytes)" };
        var swap = new Option<string?>("--memory-swap") { Description = "Total memory usage (memory + swap); set '-1' to enable unlimited swap" };
        var period = new Option<ulong?>("--cpu-period") { Description = "CPU CFS period to be used for hardcapping (in usecs)" };
        var quota = new Option<long?>("--cpu-quota") { Description = "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period" };
        var shares = new Option<ulong?>("--cpu-share") { Description = "CPU shares (relative weight vs. other containers)" };
        var cpus = new Option<string?>("--cpuset-cpus") { Description = "CPU(s) to use" };
        var mems = new Option<string?>("--cpuset-mems") { Description = "Memory node(s) to use" };
        var pids = new Option<long?>("--pids-limit") { Description = "Maximum number of pids allowed in the container" };
        var id = new Argument<string>("container-id");
        var command = new Command("update", "update container resource constraints")
        {
            resourcesFile, memory, reservation, swap, period, quota, shares, cpus, mems, pids, id,
        };
        command.SetAction(parse => RuntimeCommandLine.Execute(parse, globals, (runtime, _) =>
        {
            SpecResources resources = parse.GetValue(resourcesFile) is { } file
                ? JsonSerializer.Deserialize(file == "-" ? Console.In.ReadToEnd() : File.ReadAllText(file), SpecJsonContext.Default.SpecResources)
                    ?? throw Errors.InvalidArgument("empty resources")
                : new SpecResources();
            if (parse.GetValue(memory) is { } m || parse.GetValue(reservation) is not null || parse.GetValue(swap) is not null)
            {
                resources.Memory ??= new SpecMemory();
                resources.Memory.Limit = Bytes(parse.GetValue(memory)) ?? resources.Memory.Limit;
                resources.Memory.Reservation = Bytes(parse.GetValue(reservation)) ?? resources.Memory.Reservation;
                resources.Memory.Swap = Bytes(parse.GetValue(swap)) ?? resources.Memory.Swap;
            }

            if (parse.GetValue(period) is not null || parse.GetValue(quota) is not null || parse.GetValue(shares) is not null
                || parse.GetValue(cpus) is not null || parse.GetValue(mems) is not null)
            {
                resources.Cpu ??= new SpecCpu();
                resources.Cpu.Period = parse.GetValue(period) ?? resources.Cpu.Period;
                resources.Cpu.Quota = parse.GetValue(quota) ?? resources.Cpu.Quota;
                resources.Cpu.Shares = parse.GetValue(shares) ?? resources.Cpu.Shares;
                resources.Cpu.Cpus = parse.GetValue(cpus) ?? resources.Cpu.Cpus;
                resources.Cpu.Mems = parse.GetValue(mems) ?? resources.Cpu.Mems;
            }

            if (parse.GetValue(pids) is long limit)
            {
                resources.Pids = new SpecPids { Limit = limit };
            }

            runtime.Update(parse.GetValue(id)!, resources);
            return 0;
        }));
        return command;
    }

    /// <summary>"1048576", "512k", "100m", "1g", "-1".</summary>
    private static long? Bytes(string? value)
    {
        if (value is null)
        {
            return null;
        }

        string v = value.Trim().ToLowerInvariant().TrimEnd('b');
        long multiplier = v.Length == 0 ? 1 : v[^1] switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, 't' => 1L << 40, _ => 1 };
        string digits = multiplier == 1 ? v : v[..^1];
        return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
            ? n < 0 ? -1 : n * multiplier
            : throw Errors.InvalidArgument($"invalid size \"{value}\"");
    }
}
