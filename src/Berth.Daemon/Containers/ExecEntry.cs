using Berth.Api.Exec;

namespace Berth.Daemon.Containers;

/// <summary>One <c>docker exec</c>: created, then started once; its exit code stays readable until its container goes.</summary>
internal sealed class ExecEntry(string id, string containerId, ExecCreateRequest request)
{
    public string Id { get; } = id;

    public string ContainerId { get; } = containerId;

    public ExecCreateRequest Request { get; } = request;

    public bool Started { get; set; }

    public bool Running { get; set; }

    public int? ExitCode { get; set; }

    public int Pid { get; set; }
}
