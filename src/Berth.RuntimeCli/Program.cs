using Berth.Runtime.Init;
using Berth.RuntimeCli;

// The container init path comes first and touches nothing else: it runs on every container start.
if (args is ["init", ..])
{
    return InitProcess.Run();
}

// A shim lives as long as its container: its mode touches nothing of the runc command line either.
if (args is ["shim", Berth.Runtime.Shim.ShimLauncher.StandbyFlag])
{
    return ShimCommand.RunStandby();
}

if (args is ["shim", ..])
{
    return ShimCommand.Run(args.AsSpan(1));
}

return RuntimeCommandLine.Run(args);
