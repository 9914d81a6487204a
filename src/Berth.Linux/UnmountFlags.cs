namespace Berth.Linux;

[Flags]
public enum UnmountFlags
{
    None = 0,
    Force = 1,
    Detach = 2,
    Expire = 4,
    NoFollow = 8,
}
