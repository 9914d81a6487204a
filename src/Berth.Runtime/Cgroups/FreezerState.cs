namespace Berth.Runtime.Cgroups;

public enum FreezerState
{
    Thawed,
    Freezing,
    Frozen,
}
