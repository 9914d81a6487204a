namespace Berth.Runtime.Spec;

internal sealed class CgroupFeatures
{
    public bool? V1 { get; init; }

    public bool? V2 { get; init; }

    public bool? Systemd { get; init; }

    public bool? SystemdUser { get; init; }

    public bool? Rdma { get; init; }
}
