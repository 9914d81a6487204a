using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Errors;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Spec;

public sealed class SpecLoaderTests : IDisposable
{
    private readonly TempBundle _bundle = new();

    public void Dispose() => _bundle.Dispose();

    [Fact]
    public void Runc_config_loads_from_the_bundle()
    {
        _bundle.WriteConfig(RuncConfigFixture.Json);

        RuntimeSpec spec = SpecLoader.Load(_bundle.Dir);

        Assert.Equal("1.2.0", spec.OciVersion);
        Assert.Equal(["sh"], spec.Process!.Args);
        Assert.True(spec.Process.Terminal);
        Assert.Equal(7, spec.Mounts.Count);
        Assert.Equal(["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"], spec.Mounts[2].Options!);
        Assert.Equal("/var/run/netns/test", spec.Linux!.Namespaces![1].Path);
        Assert.Equal(100000u, spec.Linux.UidMappings![0].HostId);
        Assert.True(spec.Linux.Resources!.Memory!.DisableOomKiller is false);
        Assert.Equal(536870912, spec.Linux.Resources.Memory.Limit);
        Assert.Equal(438u, spec.Linux.Devices![0].FileMode);
    }

    [Fact]
    public void A_config_saved_with_a_byte_order_mark_loads_as_without()
    {
        File.WriteAllText(Path.Combine(_bundle.Dir, SpecLoader.ConfigFileName), RuncConfigFixture.Json, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.Equal(0xEF, File.ReadAllBytes(Path.Combine(_bundle.Dir, SpecLoader.ConfigFileName))[0]);
        Assert.Equal("1.2.0", SpecLoader.Load(_bundle.Dir).OciVersion);
        Assert.Equal((byte)'{', SpecLoader.Read(_bundle.Dir).First(b => b is not ((byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r')));
    }

    [Fact]
    public void Runc_config_round_trips_through_the_model()
    {
        RuntimeSpec spec = SpecLoader.Parse(RuncConfigFixture.Json, _bundle.Dir);

        string written = JsonSerializer.Serialize(spec, SpecJsonContext.Default.RuntimeSpec);

        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(RuncConfigFixture.Json), JsonNode.Parse(written)),
            written);
    }

    [Fact]
    public void Unknown_fields_are_ignored_like_runc_does()
    {
        string json = RuncConfigFixture.Json.Replace("\"hostname\": \"runc\",", "\"hostname\": \"runc\", \"vm\": {\"x\": 1},", StringComparison.Ordinal);

        Assert.Equal("runc", SpecLoader.Parse(json, _bundle.Dir).Hostname);
    }

    [Fact]
    public void Missing_config_is_not_found_and_names_the_bundle()
    {
        var ex = Assert.Throws<BerthException>(() => SpecLoader.Load(_bundle.Dir));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal($"config.json: no such file in bundle \"{_bundle.Dir}\"", ex.Message);
    }

    [Fact]
    public void Missing_bundle_is_not_found()
    {
        var ex = Assert.Throws<BerthException>(() => SpecLoader.Load(Path.Combine(_bundle.Dir, "nope")));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public void Broken_json_reports_line_and_position()
    {
        _bundle.WriteConfig("{\n  \"ociVersion\": \"1.2.0\",\n  \"process\": {,\n}");

        var ex = Assert.Throws<BerthException>(() => SpecLoader.Load(_bundle.Dir));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.StartsWith("config.json: invalid JSON at line 3, position 15: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_json_type_names_the_field()
    {
        string json = RuncConfigFixture.Json.Replace("\"terminal\": true", "\"terminal\": \"yes\"", StringComparison.Ordinal);

        var ex = Assert.Throws<BerthException>(() => SpecLoader.Parse(json, _bundle.Dir));

        Assert.StartsWith("config.json: invalid JSON at line ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("process.terminal: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Boolean", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_document_is_rejected()
    {
        var ex = Assert.Throws<BerthException>(() => SpecLoader.Parse("null", _bundle.Dir));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.StartsWith("config.json: ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.1.0-rc.1")]
    [InlineData("1.2.1")]
    public void Any_1x_version_is_accepted(string version)
    {
        RuntimeSpec spec = Valid();
        spec.OciVersion = version;

        SpecLoader.Validate(spec, _bundle.Dir);
    }

    [Fact]
    public void Version_2_is_rejected()
    {
        AssertInvalid(s => s.OciVersion = "2.0.0", "config.json: ociVersion \"2.0.0\" is not supported (this runtime reads 1.x)");
    }

    [Fact]
    public void Empty_version_is_rejected()
    {
        AssertInvalid(s => s.OciVersion = "", "config.json: ociVersion must be set");
    }

    [Fact]
    public void Missing_process_is_rejected()
    {
        AssertInvalid(s => s.Process = null, "config.json: process must be set");
    }

    [Fact]
    public void Empty_args_are_rejected()
    {
        AssertInvalid(s => s.Process!.Args = [], "config.json: process.args must not be empty");
    }

    [Fact]
    public void Null_args_from_json_are_rejected()
    {
        string json = RuncConfigFixture.Json.Replace("\"args\": [\n\t\t\t\"sh\"\n\t\t]", "\"args\": null", StringComparison.Ordinal);
        Assert.Contains("\"args\": null", json, StringComparison.Ordinal);

        var ex = Assert.Throws<BerthException>(() => SpecLoader.Parse(json, _bundle.Dir));

        Assert.Equal("config.json: process.args must not be empty", ex.Message);
    }

    [Fact]
    public void Relative_cwd_is_rejected()
    {
        AssertInvalid(s => s.Process!.Cwd = "work", "config.json: process.cwd must be an absolute path, got \"work\"");
    }

    [Fact]
    public void Env_without_equals_is_rejected()
    {
        AssertInvalid(s => s.Process!.Env!.Add("JUSTKEY"), "config.json: process.env[2] \"JUSTKEY\" must have the form KEY=value");
    }

    [Theory]
    [InlineData("bounding")]
    [InlineData("effective")]
    [InlineData("inheritable")]
    [InlineData("permitted")]
    [InlineData("ambient")]
    public void Unknown_capability_names_the_set(string set)
    {
        AssertInvalid(
            s =>
            {
                SpecCapabilities caps = s.Process!.Capabilities!;
                List<string> bad = ["CAP_KILL", "CAP_FOO"];
                switch (set)
                {
                    case "bounding": caps.Bounding = bad; break;
                    case "effective": caps.Effective = bad; break;
                    case "inheritable": caps.Inheritable = bad; break;
                    case "permitted": caps.Permitted = bad; break;
                    default: caps.Ambient = bad; break;
                }
            },
            $"config.json: process.capabilities.{set}: unknown capability \"CAP_FOO\"");
    }

    [Fact]
    public void Unknown_rlimit_names_the_entry()
    {
        AssertInvalid(
            s => s.Process!.Rlimits = [new SpecRlimit { Type = "RLIMIT_FOO", Soft = 1, Hard = 1 }],
            "config.json: process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"");
    }

    [Fact]
    public void Rlimit_soft_above_hard_is_rejected()
    {
        AssertInvalid(
            s => s.Process!.Rlimits!.Add(new SpecRlimit { Type = "RLIMIT_NPROC", Soft = 10, Hard = 5 }),
            "config.json: process.rlimits[1]: soft limit 10 of RLIMIT_NPROC is greater than hard limit 5");
    }

    [Fact]
    public void Duplicate_rlimit_is_rejected()
    {
        AssertInvalid(
            s => s.Process!.Rlimits!.Add(new SpecRlimit { Type = "RLIMIT_NOFILE", Soft = 10, Hard = 10 }),
            "config.json: process.rlimits[1].type: duplicate rlimit \"RLIMIT_NOFILE\"");
    }

    [Fact]
    public void Missing_root_is_rejected()
    {
        AssertInvalid(s => s.Root = null, "config.json: root must be set");
    }

    [Fact]
    public void Empty_root_path_is_rejected()
    {
        AssertInvalid(s => s.Root!.Path = "", "config.json: root.path must not be empty");
    }

    [Fact]
    public void Missing_rootfs_names_the_resolved_path()
    {
        AssertInvalid(
            s => s.Root!.Path = "other",
            $"config.json: root.path \"other\" does not exist (resolved to \"{Path.Combine(_bundle.Dir, "other")}\")");
    }

    [Fact]
    public void Rootfs_that_is_a_file_is_rejected()
    {
        File.WriteAllText(Path.Combine(_bundle.Dir, "file"), "");

        AssertInvalid(
            s => s.Root!.Path = "file",
            $"config.json: root.path \"file\" is not a directory (resolved to \"{Path.Combine(_bundle.Dir, "file")}\")");
    }

    [Fact]
    public void Absolute_rootfs_is_used_as_is()
    {
        RuntimeSpec spec = Valid();
        spec.Root!.Path = Path.Combine(_bundle.Dir, "rootfs");

        SpecLoader.Validate(spec, "/nonexistent-bundle");
    }

    [Fact]
    public void Relative_mount_destination_is_rejected()
    {
        AssertInvalid(
            s => s.Mounts[3].Destination = "dev/shm",
            "config.json: mounts[3].destination must be absolute, got \"dev/shm\"");
    }

    [Fact]
    public void Unknown_namespace_type_lists_the_known_ones()
    {
        AssertInvalid(
            s => s.Linux!.Namespaces![2].Type = "foo",
            "config.json: linux.namespaces[2].type \"foo\" is not a namespace type (pid, network, mount, ipc, uts, user, cgroup, time)");
    }

    [Fact]
    public void Duplicate_namespace_type_is_rejected()
    {
        AssertInvalid(
            s => s.Linux!.Namespaces!.Add(new SpecNamespace { Type = "pid" }),
            "config.json: linux.namespaces[6].type: duplicate namespace type \"pid\"");
    }

    [Fact]
    public void Relative_namespace_path_is_rejected()
    {
        AssertInvalid(
            s => s.Linux!.Namespaces![1].Path = "netns/x",
            "config.json: linux.namespaces[1].path must be absolute, got \"netns/x\"");
    }

    [Fact]
    public void Hostname_without_uts_namespace_is_rejected()
    {
        AssertInvalid(
            s => s.Linux!.Namespaces!.RemoveAll(n => n.Type == "uts"),
            "config.json: hostname is set but there is no new uts namespace");
    }

    [Fact]
    public void Hostname_without_linux_section_is_rejected()
    {
        AssertInvalid(s => s.Linux = null, "config.json: hostname is set but there is no new uts namespace");
    }

    [Fact]
    public void No_hostname_needs_no_uts_namespace()
    {
        RuntimeSpec spec = Valid();
        spec.Hostname = null;
        spec.Linux!.Namespaces!.RemoveAll(n => n.Type == "uts");

        SpecLoader.Validate(spec, _bundle.Dir);
    }

    [Fact]
    public void Domainname_without_uts_namespace_is_rejected()
    {
        AssertInvalid(
            s =>
            {
                s.Hostname = null;
                s.Domainname = "example.org";
                s.Linux!.Namespaces!.RemoveAll(n => n.Type == "uts");
            },
            "config.json: domainname is set but there is no new uts namespace");
    }

    [Fact]
    public void Id_mappings_without_user_namespace_are_rejected()
    {
        AssertInvalid(
            s => s.Linux!.UidMappings = [new SpecIdMapping { ContainerId = 0, HostId = 1000, Size = 1 }],
            "config.json: linux.uidMappings/gidMappings are set but there is no user namespace");
    }

    [Fact]
    public void Bad_device_type_is_rejected()
    {
        AssertInvalid(
            s => s.Linux!.Devices = [new SpecDevice { Type = "x", Path = "/dev/x" }],
            "config.json: linux.devices[0].type must be c, b, u or p, got \"x\"");
    }

    [Fact]
    public void Relative_device_path_is_rejected()
    {
        AssertInvalid(
            s => s.Linux!.Devices = [new SpecDevice { Type = "c", Path = "dev/fuse" }],
            "config.json: linux.devices[0].path must be absolute, got \"dev/fuse\"");
    }

    [Fact]
    public void Bad_device_rule_type_is_rejected()
    {
        AssertInvalid(
            s => s.Linux!.Resources!.Devices!.Add(new SpecDeviceRule { Allow = true, Type = "p" }),
            "config.json: linux.resources.devices[1].type must be a, c or b, got \"p\"");
    }

    [Fact]
    public void Bad_device_rule_access_is_rejected()
    {
        AssertInvalid(
            s => s.Linux!.Resources!.Devices![0].Access = "rwx",
            "config.json: linux.resources.devices[0].access \"rwx\" may only contain r, w and m");
    }

    [Fact]
    public void Bad_rootfs_propagation_is_rejected()
    {
        AssertInvalid(
            s => s.Linux!.RootfsPropagation = "bogus",
            "config.json: linux.rootfsPropagation \"bogus\" is not one of private, rprivate, slave, rslave, shared, rshared, unbindable, runbindable");
    }

    [Fact]
    public void Relative_masked_path_is_rejected()
    {
        AssertInvalid(
            s => s.Linux!.MaskedPaths![4] = "proc/kcore",
            "config.json: linux.maskedPaths[4] must be absolute, got \"proc/kcore\"");
    }

    [Fact]
    public void Relative_readonly_path_is_rejected()
    {
        AssertInvalid(
            s => s.Linux!.ReadonlyPaths![0] = "proc/bus",
            "config.json: linux.readonlyPaths[0] must be absolute, got \"proc/bus\"");
    }

    [Fact]
    public void Relative_hook_path_is_rejected()
    {
        AssertInvalid(
            s => s.Hooks = new SpecHooks { CreateRuntime = [new SpecHook { Path = "/bin/true" }, new SpecHook { Path = "hook" }] },
            "config.json: hooks.createRuntime[1].path must be absolute, got \"hook\"");
    }

    [Fact]
    public void Zero_hook_timeout_is_rejected()
    {
        AssertInvalid(
            s => s.Hooks = new SpecHooks { Poststop = [new SpecHook { Path = "/bin/true", Timeout = 0 }] },
            "config.json: hooks.poststop[0].timeout must be greater than zero");
    }

    [Theory]
    [InlineData("rootfs", "/b/rootfs")]
    [InlineData("./rootfs/", "/b/rootfs")]
    [InlineData("../x/../rootfs", "/rootfs")]
    [InlineData("/abs/root", "/abs/root")]
    [InlineData("/abs//root/../r2/", "/abs/r2")]
    public void RootfsPath_resolves_against_the_bundle(string root, string expected)
    {
        var spec = new RuntimeSpec { Root = new SpecRoot { Path = root } };

        Assert.Equal(expected, SpecLoader.RootfsPath(spec, "/b"));
    }

    [Fact]
    public void RootfsPath_anchors_a_relative_bundle_at_the_current_directory()
    {
        var spec = new RuntimeSpec { Root = new SpecRoot { Path = "rootfs" } };

        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "bundle", "rootfs"), SpecLoader.RootfsPath(spec, "bundle"));
    }

    private RuntimeSpec Valid() => SpecLoader.Parse(DefaultSpec.ToJson(DefaultSpec.Create()), _bundle.Dir);

    private void AssertInvalid(Action<RuntimeSpec> breakIt, string expected)
    {
        RuntimeSpec spec = Valid();
        breakIt(spec);

        var ex = Assert.Throws<BerthException>(() => SpecLoader.Validate(spec, _bundle.Dir));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(expected, ex.Message);

        // The same problem through the file path, so Load and Validate agree.
        _bundle.WriteConfig(DefaultSpec.ToJson(spec));
        var loaded = Assert.Throws<BerthException>(() => SpecLoader.Load(_bundle.Dir));
        Assert.Equal(expected, loaded.Message);
    }
}
