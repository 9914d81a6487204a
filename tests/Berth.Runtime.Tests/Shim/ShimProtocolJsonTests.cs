using System.Text;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Shim;
using Berth.Runtime.Spec;
using Berth.Runtime.Tests.Spec;

namespace Berth.Runtime.Tests.Shim;

/// <summary>
/// The shim reads and writes its side of the protocol by hand; the daemon uses <see cref="ShimJsonContext"/>. What the
/// shim writes must be the serializer's bytes, and what the serializer writes the shim must read back.
/// </summary>
public sealed class ShimProtocolJsonTests
{
    private static readonly DateTimeOffset Started = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1_234_567);

    private static readonly ShimState Running = new() { Id = "c1", Pid = 42, Status = ShimState.Running, Tty = true, StartedAt = Started, ShimPid = 41 };

    private static readonly ShimState Stopped = new()
    {
        Id = "c1", ExecId = "e1", Pid = 43, Status = ShimState.Stopped, ExitCode = 137, OomKilled = true, Tty = true,
        StartedAt = Started, FinishedAt = new DateTimeOffset(2025, 3, 4, 7, 6, 5, TimeSpan.FromHours(2)), ShimPid = 41,
    };

    public static TheoryData<ShimState> States() =>
    [
        new ShimState(),
        Running,
        Stopped,
        new ShimState { Id = "c\u00e9 <\"&'>\\\t\u0001", Status = ShimState.Stopped, ExitCode = 0, FinishedAt = Started.AddTicks(-4_567), ShimPid = 0 },
        new ShimState { Id = "c2", Pid = -1, ExitCode = -2, StartedAt = DateTimeOffset.MinValue, FinishedAt = DateTimeOffset.MaxValue, ShimPid = int.MaxValue },
    ];

    [Theory]
    [MemberData(nameof(States))]
    public void Exit_json_is_the_serializers_bytes(ShimState state)
    {
        Assert.Equal(Serialize(state), Encoding.UTF8.GetString(state.ToJson()));
    }

    [Theory]
    [MemberData(nameof(States))]
    public void A_response_with_a_state_is_the_serializers_bytes(ShimState state)
    {
        AssertSameAsSerializer(new ShimResponse { State = state });
    }

    [Fact]
    public void Every_error_kind_and_message_is_written_as_the_serializer_writes_it()
    {
        AssertSameAsSerializer(new ShimResponse());
        AssertSameAsSerializer(new ShimResponse { Error = "no kind" });
        AssertSameAsSerializer(new ShimResponse { ErrorKind = ErrorKind.Conflict, State = Running });
        AssertSameAsSerializer(ShimResponse.Failure(new InvalidOperationException("unclassified \"\u00fc\" <x>\n")));
        foreach (ErrorKind kind in Enum.GetValues<ErrorKind>())
        {
            AssertSameAsSerializer(ShimResponse.Failure(new BerthException(kind, $"failed: {kind}")));
        }
    }

    [Fact]
    public void A_framed_response_is_the_serializers_frame()
    {
        var response = new ShimResponse { State = Stopped };
        Assert.Equal(ShimFraming.Encode(response, ShimJsonContext.Default.ShimResponse), ShimFraming.Encode(response));
    }

    [Fact]
    public void Readiness_is_written_as_the_serializer_writes_it()
    {
        AssertSameAsSerializer(new ShimReadiness());
        AssertSameAsSerializer(new ShimReadiness { Ready = true, ShimPid = 100, Pid = 101 });
        AssertSameAsSerializer(new ShimReadiness { Error = "only a message" });
        foreach (ErrorKind kind in Enum.GetValues<ErrorKind>())
        {
            AssertSameAsSerializer(new ShimReadiness { ErrorKind = kind, Error = $"berth-runtime shim: {kind}\nUsage: \"x\" <y>" });
        }
    }

    /// <summary>Each op as the daemon writes it.</summary>
    public static TheoryData<string> Requests() => new(new ShimRequest[]
    {
        new(),
        new() { Op = ShimRequest.Start },
        new() { Op = ShimRequest.State, ExecId = "e1" },
        new() { Op = ShimRequest.Kill, Signal = 9, All = true },
        new() { Op = ShimRequest.Kill, ExecId = "e\u00e9\"1", Signal = -15 },
        new() { Op = ShimRequest.Wait, ExecId = "e1" },
        new() { Op = ShimRequest.Attach, Stdin = true, Stdout = true, Stderr = true, CloseStdinOnEof = true },
        new() { Op = ShimRequest.Resize, ExecId = "e1", Rows = ushort.MaxValue, Columns = 80 },
        new() { Op = ShimRequest.Exec, ExecId = "e2", Process = new SpecProcess { Args = ["true"] } },
        new()
        {
            Op = ShimRequest.Exec, ExecId = "e3", OpenStdin = true, Stdin = true, Stdout = true, Stderr = true, AttachStreams = true,
            Process = SpecSamples.FullProcess(),
        },
        new() { Op = ShimRequest.CloseStdin, ExecId = "e1" },
        new() { Op = ShimRequest.Delete, Force = true },
    }.Select(Serialize));

    [Theory]
    [MemberData(nameof(Requests))]
    public void A_request_the_daemon_writes_reads_back_whole(string json)
    {
        Assert.Equal(json, Serialize(ShimRequest.Parse(Encoding.UTF8.GetBytes(json))!));
    }

    [Fact]
    public void A_full_process_keeps_every_field()
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(new ShimRequest { Op = ShimRequest.Exec, Process = SpecSamples.FullProcess() }, ShimJsonContext.Default.ShimRequest);

        SpecProcess process = ShimRequest.Parse(json)!.Process!;

        Assert.Equal(["sh", "-c", "echo \"h\u00e9\""], process.Args);
        Assert.Equal([1000u, 1001u], process.User.AdditionalGids!);
        Assert.Equal((40u, 120u), (process.ConsoleSize!.Height, process.ConsoleSize.Width));
        Assert.Equal(["CAP_KILL"], process.Capabilities!.Ambient!);
        Assert.Equal(("RLIMIT_NOFILE", 4096ul, 1024ul), (process.Rlimits![0].Type, process.Rlimits[0].Hard, process.Rlimits[0].Soft));
        Assert.True(process.Terminal && process.NoNewPrivileges);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"op": null, "execId": null, "process": null}""")]
    [InlineData("""{"op": "kill", "op": "wait", "signal": 1, "signal": 2}""")]
    [InlineData("""{"Op": "kill", "SIGNAL": 9, "exec_id": "x", "op": "state"}""")]
    [InlineData("""{"unknown": {"x": [1, {"y": null}], "z": "w"}, "op": "\u0073tate", "force": true}""")]
    [InlineData("""{"op": "exec", "process": {"args": ["a"], "user": {"uid": 5, "gid": 6}, "extra": 1}}""")]
    [InlineData(" \r\n{ \"op\" : \"start\" } \n")]
    public void Defaults_nulls_repeats_case_and_unknowns_read_as_the_serializer_reads_them(string json)
    {
        ShimRequest? expected = JsonSerializer.Deserialize(json, ShimJsonContext.Default.ShimRequest);

        ShimRequest? read = ShimRequest.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(expected is null, read is null);
        if (expected is not null)
        {
            Assert.Equal(Serialize(expected), Serialize(read!));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("\"state\"")]
    [InlineData("""{"op": "state"} {}""")]
    [InlineData("""{"op": "state"}x""")]
    [InlineData("""{"op": 1}""")]
    [InlineData("""{"op": ["state"]}""")]
    [InlineData("""{"signal": "9"}""")]
    [InlineData("""{"signal": 1.5}""")]
    [InlineData("""{"signal": 4294967296}""")]
    [InlineData("""{"signal": null}""")]
    [InlineData("""{"all": "true"}""")]
    [InlineData("""{"force": 1}""")]
    [InlineData("""{"rows": 65536}""")]
    [InlineData("""{"columns": -1}""")]
    [InlineData("""{"process": "sh"}""")]
    [InlineData("""{"process": {"args": "sh"}}""")]
    [InlineData("""{"process": {"user": {"uid": -1}}}""")]
    [InlineData("""{"process": {"terminal": null}}""")]
    [InlineData("""{"op": "state", /* comment */ "force": true}""")]
    [InlineData("""{"op": "state",}""")]
    public void What_the_serializer_refuses_is_a_json_exception(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, ShimJsonContext.Default.ShimRequest));
        Assert.ThrowsAny<JsonException>(() => ShimRequest.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void A_request_of_the_wrong_shape_is_reported_as_a_bad_request()
    {
        byte[] json = """{"op": "kill", "signal": "KILL"}"""u8.ToArray();
        byte[] frame = [0, 0, 0, (byte)json.Length, .. json, 1, 2];

        Assert.True(ShimFraming.TryDecodeSafe(frame, out int consumed, out ShimRequest? request));

        Assert.Null(request);
        Assert.Equal(frame.Length, consumed);
    }

    [Fact]
    public void The_standby_reads_the_flags_its_launcher_writes()
    {
        string[] flags = ["shim", "--id", "c\u00e9", "--log-path", "/a \"b\"\\c", ""];
        string line = JsonSerializer.Serialize(flags, ShimJsonContext.Default.StringArray);

        Assert.Equal(flags, ShimHost.ReadFlags(line));
        Assert.Empty(ShimHost.ReadFlags("[]")!);
        Assert.Null(ShimHost.ReadFlags("null"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("[\"shim\"")]
    [InlineData("[\"shim\", 1]")]
    [InlineData("[\"shim\"] x")]
    public void Unreadable_flags_are_a_json_exception(string line)
    {
        Assert.ThrowsAny<JsonException>(() => ShimHost.ReadFlags(line));
    }

    private static void AssertSameAsSerializer(ShimResponse response) =>
        Assert.Equal(JsonSerializer.Serialize(response, ShimJsonContext.Default.ShimResponse), Encoding.UTF8.GetString(response.ToJson()));

    private static void AssertSameAsSerializer(ShimReadiness readiness) =>
        Assert.Equal(JsonSerializer.Serialize(readiness, ShimJsonContext.Default.ShimReadiness), Encoding.UTF8.GetString(readiness.ToJson()));

    private static string Serialize(ShimState state) => JsonSerializer.Serialize(state, ShimJsonContext.Default.ShimState);

    private static string Serialize(ShimRequest request) => JsonSerializer.Serialize(request, ShimJsonContext.Default.ShimRequest);
}
