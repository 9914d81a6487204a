using Berth.Runtime.Init;
using Berth.RuntimeCli;

// The container init path comes first and touches nothing else: it runs on every container start.
if (args is ["init", ..])
{
    return InitProcess.Run();
}

return RuntimeCommandLine.Run(args);
