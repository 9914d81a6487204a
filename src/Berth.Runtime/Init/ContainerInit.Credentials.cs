using Berth.Linux;
using Berth.Linux.Spawn;

namespace Berth.Runtime.Init;

public sealed partial class ContainerInit
{
    private void BuildEnvironment() =>
        Environment = ProcessSetup.Environment(Process, () => sys.Exists("/etc/passwd") ? sys.ReadLines("/etc/passwd") : []);

    /// <summary>The credential switch, one named step per syscall so a failure says exactly which.</summary>
    private void SwitchCredentials()
    {
        foreach (SpawnOp op in ProcessSetup.CredentialOps(Process, request.Seccomp))
        {
            RunStep(op.Description, () => sys.Run(op));
        }
    }

    /// <summary>Finds process.args[0] now, so a missing binary fails <c>create</c> rather than <c>start</c>.</summary>
    private void ResolveExecutable() =>
        Executable = ProcessSetup.ResolveExecutable(Process, sys.Exists, sys.CanExecute);
}
