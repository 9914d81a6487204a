using System.Text.Json;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Spec;

/// <summary>
/// The reader goes through config.json once, token by token, so what it skips, repeats, clears or refuses is held
/// to the serializer here, shape by shape.
/// </summary>
public sealed class SpecDocumentReaderLeniencyTests
{
    private static readonly string LongEscaped = string.Concat(Enumerable.Repeat("echo \\\"a\\\" \\u0026\\u0026 b \\u003E /dev/null; ", 20));

    public static TheoryData<string> Accepted() =>
    [
        // Unknown fields of every shape, at the top, inside known objects, inside list items and in maps' parents.
        """{"x": {"a": [1, {"b": [[], {}]}], "c": {}}, "process": {"unknown": [[1, {"a": [true]}], {}], "args": ["a"], "user": {"uid": 1, "u": {"v": 2}}}}""",
        """{"linux": {"x": {"y": {"z": []}}, "resources": {"pids": {"limit": 5, "other": {"q": [1]}}, "memory": {"limit": 1, "x": []}}, "namespaces": [{"type": "pid", "x": {"y": 1}}]}}""",
        """{"mounts": [{"destination": "/a", "extra": [{"b": 1}], "options": ["ro"]}], "z": 1.5e300, "w": null, "v": true, "u": -0, "t": "s"}""",
        // Repeats: the last wins, whole objects and lists replaced, map keys overwritten.
        """{"process": {"args": ["a"], "cwd": "/a"}, "process": {"cwd": "/b"}, "mounts": [{"destination": "/a"}], "mounts": []}""",
        """{"linux": {"sysctl": {"a": "1", "a": "2", "b": "3"}, "sysctl": {"c": "4"}}, "annotations": {"k": "v", "k": "w"}}""",
        """{"process": {"user": {"uid": 1, "uid": 2, "additionalGids": [1], "additionalGids": null}}}""",
        // Nulls: a field cleared, a list item or map value null, nullable numbers and booleans null.
        """{"ociVersion": null, "hostname": null, "process": {"env": null, "capabilities": null, "rlimits": [null], "oomScoreAdj": null, "user": null}}""",
        """{"mounts": [null, {"destination": "/x", "options": [null, "ro"], "uidMappings": null}], "annotations": {"a": null}}""",
        """{"linux": {"resources": {"memory": {"limit": null, "swappiness": null, "disableOOMKiller": null}, "cpu": {"shares": null, "cpus": null}, "devices": [{"allow": true, "major": null}]}}}""",
        """{"linux": {"devices": [{"type": "c", "path": "/dev/x", "major": 1, "minor": 2, "fileMode": null, "uid": null}], "seccomp": {"defaultAction": "a", "defaultErrnoRet": null}}}""",
        // Comments anywhere a token may stand, and trailing commas in every kind of container.
        "// leading\n{ /*a*/ \"hostname\": /*c*/ \"h\" /*d*/, \"mounts\": [ /*e*/ ], \"linux\": {\"sysctl\": {\"a\": \"b\",},}, } // trailing\n",
        """{"process": {"args": ["sh", /* x */ "-c",], "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1, "soft": 1,},],},}""",
        // Escapes: in names (matched unescaped) and in long values.
        """{"hostn\u0061me": "\u0068", "process": {"args": ["__LONG__", "\u00e9\ud83d\ude00"], "env": ["A=__LONG__"]}}""".Replace("__LONG__", LongEscaped, StringComparison.Ordinal),
        """{"__LONGNAME__": {"a": 1}, "hostname": "h"}""".Replace("__LONGNAME__", LongEscaped, StringComparison.Ordinal),
        // Numbers at their bounds.
        """{"process": {"user": {"uid": 4294967295, "gid": 0}, "rlimits": [{"type": "t", "hard": 18446744073709551615, "soft": 0}], "oomScoreAdj": -2147483648}}""",
        """{"linux": {"devices": [{"type": "c", "path": "/d", "major": -9223372036854775808, "minor": 9223372036854775807}]}}""",
        // Deep but within the serializer's depth limit.
        $$"""{"x": {{new string('[', 60)}}{{new string(']', 60)}}}""",
    ];

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Reads_as_the_serializer_reads(string json)
    {
        RuntimeSpec expected = JsonSerializer.Deserialize(json, SpecJsonContext.Default.RuntimeSpec)!;

        Assert.Equal(Serialize(expected), Serialize(SpecDocumentReader.Read(json)));
    }

    public static TheoryData<string> Refused() =>
    [
        // Numbers out of range or not integers.
        """{"process": {"user": {"uid": 4294967296}}}""",
        """{"process": {"oomScoreAdj": 2147483648}}""",
        """{"process": {"rlimits": [{"type": "t", "hard": -1}]}}""",
        """{"process": {"rlimits": [{"type": "t", "hard": 18446744073709551616}]}}""",
        """{"linux": {"devices": [{"type": "c", "path": "/d", "major": 9223372036854775808}]}}""",
        """{"process": {"consoleSize": {"height": 1e3}}}""",
        """{"linux": {"resources": {"cpu": {"shares": 1.0}}}}""",
        // Values of the wrong kind.
        """{"hostname": 1}""",
        """{"mounts": {}}""",
        """{"annotations": []}""",
        """{"annotations": {"a": 1}}""",
        """{"linux": []}""",
        """{"process": {"rlimits": [1]}}""",
        """{"process": {"env": [1]}}""",
        """{"process": {"noNewPrivileges": 0}}""",
        """{"linux": {"resources": {"memory": {"disableOOMKiller": "true"}}}}""",
        """{"root": "rootfs"}""",
        "[]",
        "\"spec\"",
        // Trailing text after the document, and malformed documents.
        "{} {}",
        "{}x",
        "{},",
        "",
        "   ",
        """{"hostname": "h" """,
        """{"hostname" "h"}""",
        """{"hostname": "\uD800"}""",
        // Deeper than the serializer goes, even where nothing is read.
        $$"""{"x": {{new string('[', 70)}}{{new string(']', 70)}}}""",
    ];

    [Theory]
    [MemberData(nameof(Refused))]
    public void What_the_serializer_refuses_is_a_json_exception(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, SpecJsonContext.Default.RuntimeSpec));
        Assert.ThrowsAny<JsonException>(() => SpecDocumentReader.Read(json));
    }

    private static string Serialize(RuntimeSpec spec) => JsonSerializer.Serialize(spec, SpecJsonContext.Default.RuntimeSpec);
}
