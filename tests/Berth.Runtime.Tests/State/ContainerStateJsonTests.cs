using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Berth.Runtime.Init;
using Berth.Runtime.Spec;
using Berth.Runtime.State;
using Berth.Runtime.Tests.Spec;

namespace Berth.Runtime.Tests.State;

/// <summary>
/// The runtime writes state.json by hand and reads it with <see cref="RuntimeJsonContext"/>: what it writes must be
/// the serializer's bytes, and must read back whole.
/// </summary>
public sealed class ContainerStateJsonTests : IDisposable
{
    private const string Awkward = "q\"b\\s/ <a&b> 'x'+y \t\n\r\b\f\u0000\u001f\u007f \u00e9\u4e2d\U0001F600 \u2028\u2029";

    private readonly string _root = Directory.CreateTempSubdirectory("berth-state-json-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<ContainerState> States() =>
    [
        new ContainerState(),
        new ContainerState { Id = "c1", Pid = 42, StartTime = 7, Bundle = "/b", Rootfs = "/b/rootfs", CgroupPath = "/berth/c1", Created = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero) },
        Full(),
        WithEmptyLists(),
        WithExtremes(),
        WithNullsWhereTheTypesSayNone(),
        new ContainerState { Id = "h", Hooks = new SpecHooks() },
        new ContainerState { Id = "p", Process = new SpecProcess() },
        new ContainerState { Id = "s", Seccomp = new ProcessSetup.SeccompFilter([], 0) },
        new ContainerState { Id = Awkward, Bundle = Awkward, Rootfs = Awkward, CgroupPath = Awkward, Annotations = new() { [Awkward] = Awkward } },
    ];

    public static TheoryData<DateTimeOffset> Times() =>
    [
        default(DateTimeOffset),
        new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromMinutes(345)).AddTicks(1_234_567),
        new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromMinutes(-210)).AddTicks(1_200_000),
        new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.FromHours(14)).AddTicks(1),
        new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(-14)).AddMilliseconds(5),
        DateTimeOffset.MinValue,
        DateTimeOffset.MaxValue,
    ];

    [Theory]
    [MemberData(nameof(States))]
    public void State_json_is_the_serializers_bytes(ContainerState state)
    {
        AssertSameAsSerializer(state);
    }

    [Theory]
    [MemberData(nameof(Times))]
    public void Created_is_written_as_the_serializer_formats_it(DateTimeOffset created)
    {
        AssertSameAsSerializer(new ContainerState { Id = "t", Created = created });
    }

    [Fact]
    public void The_full_sample_sets_every_property_of_every_type_state_json_holds()
    {
        // So a property added to any of them is either written by hand or fails the byte comparison above.
        AssertEverythingSet(Full(), nameof(ContainerState));
    }

    /// <summary>The states a runtime can save: valid ids, and no nulls where the types say none.</summary>
    public static TheoryData<ContainerState> Saved() =>
    [
        new ContainerState { Id = "minimal" },
        Named("full", Full()),
        Named("empty", WithEmptyLists()),
        Named("extremes", WithExtremes()),
        new ContainerState { Id = "awkward", Bundle = Awkward, Rootfs = Awkward, CgroupPath = Awkward, Annotations = new() { [Awkward] = Awkward } },
    ];

    [Theory]
    [MemberData(nameof(Saved))]
    public void What_is_saved_is_the_serializers_bytes_and_loads_back_whole_in_another_process(ContainerState state)
    {
        var store = new StateStore(_root);
        store.Reserve(state.Id);

        store.Save(state);

        Assert.Equal(Serialize(state), File.ReadAllBytes(Path.Combine(store.DirectoryOf(state.Id), "state.json")));
        Assert.Equal(Serialize(state), Serialize(new StateStore(_root).Load(state.Id)));
    }

    private static ContainerState Named(string id, ContainerState state)
    {
        state.Id = id;
        return state;
    }

    private static ContainerState Full() => new()
    {
        Id = "c\u00e9-1",
        Pid = 4242,
        StartTime = 123_456_789,
        Bundle = "/run/bundles/c \"1\"",
        Rootfs = "/run/bundles/c \"1\"/rootfs",
        Created = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1_234_567),
        CgroupPath = "/berth/c\\1",
        Annotations = new() { ["org.opencontainers.image.title"] = "<b&w>", ["k\u00e9\"y"] = "v\u0001\\", ["empty"] = "" },
        Process = SpecSamples.FullProcess(),
        NamespaceTypes = ["pid", "network", "ipc", "uts", "mount", "cgroup"],
        Seccomp = new ProcessSetup.SeccompFilter([0x06, 0x00, 0xfb, 0xff, 0xbf, 0x7f, 0x3e, 0x3f], 3),
        Hooks = new SpecHooks
        {
            Prestart = [new SpecHook { Path = "/usr/bin/prestart", Args = ["prestart", "--flag=\"x\""], Env = ["A=1", "B=\u00e9"], Timeout = 5 }],
            CreateRuntime = [new SpecHook { Path = "/bin/cr", Args = ["cr"], Env = ["\\"], Timeout = 1 }, new SpecHook { Path = "/bin/cr2" }],
            CreateContainer = [new SpecHook { Path = "/bin/cc", Args = [], Env = [], Timeout = 2 }, new SpecHook { Path = "/bin/cc2", Args = [] }],
            StartContainer = [new SpecHook { Path = "/bin/sc", Args = ["sc", ""], Env = ["C=\u0002"], Timeout = 3 }, new SpecHook { Path = "/bin/sc2", Env = [] }],
            Poststart = [new SpecHook { Path = "/bin/ps <&>", Args = ["ps"], Env = ["X=y"], Timeout = int.MaxValue }],
            Poststop = [],
        },
    };

    private static ContainerState WithEmptyLists() => new()
    {
        Id = "empty",
        Annotations = [],
        Process = new SpecProcess
        {
            User = new SpecUser { AdditionalGids = [] },
            Args = [],
            Env = [],
            Capabilities = new SpecCapabilities { Bounding = [], Effective = [], Inheritable = [], Permitted = [], Ambient = [] },
            Rlimits = [],
        },
        NamespaceTypes = [],
        Hooks = new SpecHooks { Prestart = [], CreateRuntime = [], CreateContainer = [], StartContainer = [], Poststart = [], Poststop = [] },
    };

    private static ContainerState WithExtremes() => new()
    {
        Id = "x",
        Pid = int.MinValue,
        StartTime = ulong.MaxValue,
        Created = DateTimeOffset.MaxValue,
        Process = new SpecProcess
        {
            ConsoleSize = new SpecConsoleSize { Height = uint.MaxValue, Width = 0 },
            User = new SpecUser { Uid = uint.MaxValue, Gid = uint.MaxValue, Umask = uint.MaxValue, AdditionalGids = [0, uint.MaxValue] },
            Rlimits = [new SpecRlimit { Type = "RLIMIT_AS", Hard = ulong.MaxValue, Soft = ulong.MaxValue }],
            OomScoreAdj = int.MinValue,
        },
        Seccomp = new ProcessSetup.SeccompFilter([0xff], uint.MaxValue),
        Hooks = new SpecHooks { Poststop = [new SpecHook { Path = "/h", Timeout = int.MinValue }, new SpecHook { Path = "/h", Timeout = 0 }] },
    };

    /// <summary>The serializer leaves out a null even where the type says it cannot be one, and writes null list elements and map values.</summary>
    private static ContainerState WithNullsWhereTheTypesSayNone() => new()
    {
        Id = null!,
        Bundle = null!,
        Rootfs = null!,
        CgroupPath = null!,
        Annotations = new() { ["k"] = null! },
        Process = new SpecProcess
        {
            User = null!,
            Args = null!,
            Env = [null!, "A=1"],
            Cwd = null!,
            Capabilities = new SpecCapabilities { Bounding = [null!] },
            Rlimits = [null!, new SpecRlimit { Type = null! }],
        },
        NamespaceTypes = [null!],
        Seccomp = new ProcessSetup.SeccompFilter(null!, 1),
        Hooks = new SpecHooks { Prestart = [null!, new SpecHook { Path = null!, Args = [null!] }] },
    };

    private static void AssertSameAsSerializer(ContainerState state) =>
        Assert.Equal(Encoding.UTF8.GetString(Serialize(state)), Encoding.UTF8.GetString(state.ToJson()));

    private static byte[] Serialize(ContainerState state) => JsonSerializer.SerializeToUtf8Bytes(state, RuntimeJsonContext.Default.ContainerState);

    /// <summary>Fails naming the first property of <paramref name="value"/> (or of an object below it) left at its default.</summary>
    private static void AssertEverythingSet(object value, string path)
    {
        foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object? set = property.GetValue(value);
            string at = $"{path}.{property.Name}";
            Type type = property.PropertyType;
            Assert.False(set is null || (type.IsValueType && set.Equals(Activator.CreateInstance(type))), $"{at} is not set");
            // An empty list is set too (the serializer writes []); where the sample has elements, the first stands for them.
            if (set is IList { Count: > 0 } list)
            {
                set = list[0]!;
            }

            if (set.GetType().Namespace?.StartsWith("Berth.", StringComparison.Ordinal) == true)
            {
                AssertEverythingSet(set, at);
            }
        }
    }
}
