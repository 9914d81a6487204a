namespace Berth.Runtime.State;

/// <summary>The runtime-spec state document <c>state</c> prints (plus runc's rootfs/created/owner for <c>list</c>).</summary>
public sealed class OciState
{
    public string OciVersion { get; set; } = "1.2.0";

    public string Id { get; set; } = "";

    public string Status { get; set; } = "";

    public int Pid { get; set; }

    public string Bundle { get; set; } = "";

    public string? Rootfs { get; set; }

    public DateTimeOffset? Created { get; set; }

    public string? Owner { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }
}
