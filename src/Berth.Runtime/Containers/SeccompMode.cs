namespace Berth.Runtime.Containers;

/// <summary>--security-opt seccomp=…: the default profile, none at all, or a profile the user supplied.</summary>
public enum SeccompMode
{
    Default,
    Unconfined,
}
