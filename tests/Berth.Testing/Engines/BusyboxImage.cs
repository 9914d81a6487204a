namespace Berth.Testing.Engines;

/// <summary>
/// A busybox image built without any engine — <c>umoci init/new/unpack</c>, /bin/busybox (busybox-static) with one
/// symlink per applet, /etc/passwd and /etc/group, <c>umoci repack</c>, <c>umoci config --config.cmd sh</c> — and
/// pushed with <c>skopeo copy oci:LAYOUT:latest docker://REGISTRY/busybox:latest --dest-tls-verify=false</c>.
/// </summary>
public sealed class BusyboxImage
{
    private BusyboxImage(string reference) => Reference = reference;

    /// <summary><c>127.0.0.1:PORT/busybox:latest</c>.</summary>
    public string Reference { get; }

    public static async Task<BusyboxImage> PushAsync(LocalRegistry registry, string name = "busybox")
    {
        string work = Directory.CreateTempSubdirectory("berth-image-").FullName;
        try
        {
            string layout = Path.Combine(work, "layout");
            string bundle = Path.Combine(work, "bundle");
            string image = $"{layout}:latest";
            (await Tool(EngineBinaries.Umoci, "init", "--layout", layout)).EnsureSuccess();
            (await Tool(EngineBinaries.Umoci, "new", "--image", image)).EnsureSuccess();
            (await Tool(EngineBinaries.Umoci, "unpack", "--image", image, bundle)).EnsureSuccess();
            await FillRootfsAsync(Path.Combine(bundle, "rootfs"));
            (await Tool(EngineBinaries.Umoci, "repack", "--image", image, bundle)).EnsureSuccess();
            (await Tool(EngineBinaries.Umoci, "config", "--image", image, "--config.cmd", "sh", "--config.env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")).EnsureSuccess();
            string reference = $"{registry.Address}/{name}:latest";
            (await Tool(EngineBinaries.Skopeo, "copy", "--quiet", $"oci:{image}", $"docker://{reference}", "--dest-tls-verify=false")).EnsureSuccess();
            return new BusyboxImage(reference);
        }
        finally
        {
            await ProcessTools.DeleteTreeAsync(work);
        }
    }

    public override string ToString() => Reference;

    private static async Task FillRootfsAsync(string rootfs)
    {
        foreach (string d in new[] { "bin", "etc", "tmp", "root", "proc", "sys", "dev" })
        {
            Directory.CreateDirectory(Path.Combine(rootfs, d));
        }

        File.SetUnixFileMode(Path.Combine(rootfs, "tmp"), (UnixFileMode)0x1FF | UnixFileMode.StickyBit);
        string busybox = Path.Combine(rootfs, "bin", "busybox");
        File.Copy(BusyboxBundle.BusyboxPath, busybox);
        ProcessResult list = (await ChildProcess.RunAsync(BusyboxBundle.BusyboxPath, ["--list"])).EnsureSuccess();
        foreach (string applet in list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (applet != "busybox")
            {
                File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
            }
        }

        await File.WriteAllTextAsync(Path.Combine(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
        await File.WriteAllTextAsync(Path.Combine(rootfs, "etc", "group"), "root:x:0:\nnogroup:x:65534:\n");
    }

    private static Task<ProcessResult> Tool(string program, params string[] args) =>
        ChildProcess.RunAsync(program, args, TimeSpan.FromMinutes(2));
}
