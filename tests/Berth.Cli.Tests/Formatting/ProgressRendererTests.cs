using System.Text.Json;
using Berth.Api.Json;
using Berth.Api.Streams;
using Berth.Cli.Formatting;

namespace Berth.Cli.Tests.Formatting;

/// <summary>The pull stream as docker's daemon sends it, rendered as docker's jsonmessage does.</summary>
public sealed class ProgressRendererTests
{
    private static readonly string[] Pull =
    [
        """{"status":"Pulling from library/busybox","id":"latest"}""",
        """{"status":"Pulling fs layer","progressDetail":{},"id":"aaa"}""",
        """{"status":"Pulling fs layer","progressDetail":{},"id":"bbb"}""",
        """{"status":"Downloading","progressDetail":{"current":1000000,"total":2000000},"progress":"[=>  ]","id":"aaa"}""",
        """{"status":"Download complete","progressDetail":{},"id":"aaa"}""",
        """{"status":"Pull complete","progressDetail":{},"id":"bbb"}""",
        """{"status":"Digest: sha256:abc"}""",
        """{"status":"Status: Downloaded newer image for busybox:latest"}""",
    ];

    private static string Render(bool terminal, int width = 80, params string[] lines)
    {
        var output = new StringWriter();
        var renderer = new ProgressRenderer(output, terminal, width, () => DateTimeOffset.FromUnixTimeSeconds(100));
        foreach (string line in lines)
        {
            renderer.Write(JsonSerializer.Deserialize(line, ApiJsonContext.Default.JsonMessage)!);
        }

        return output.ToString();
    }

    [Fact]
    public void Not_a_terminal_prints_status_lines_without_progress_updates() => Assert.Equal(
        "latest: Pulling from library/busybox\n" +
        "aaa: Pulling fs layer\n" +
        "bbb: Pulling fs layer\n" +
        "aaa: Download complete\n" +
        "bbb: Pull complete\n" +
        "Digest: sha256:abc\n" +
        "Status: Downloaded newer image for busybox:latest\n",
        Render(false, 80, Pull));

    [Fact]
    public void Terminal_redraws_each_layer_line_in_place()
    {
        string output = Render(true, 80, Pull);
        Assert.Equal(
            "latest: Pulling from library/busybox\n" +
            "\n\u001b[1A\u001b[2K\raaa: Pulling fs layer \r\u001b[1B" +
            "\n\u001b[1A\u001b[2K\rbbb: Pulling fs layer \r\u001b[1B" +
            "\u001b[2A\u001b[2K\raaa: Downloading      1MB/2MB\r\u001b[2B" +
            "\u001b[2A\u001b[2K\raaa: Download complete \r\u001b[2B" +
            "\u001b[1A\u001b[2K\rbbb: Pull complete \r\u001b[1B" +
            "Digest: sha256:abc\n" +
            "Status: Downloaded newer image for busybox:latest\n",
            output);
    }

    [Fact]
    public void Wide_terminals_get_docker_bar_and_time_left()
    {
        var renderer = new ProgressRenderer(TextWriter.Null, true, 120, () => DateTimeOffset.FromUnixTimeSeconds(110));
        string bar = renderer.Bar(new ProgressDetail { Current = 12_300_000, Total = 45_600_000, Start = 100 });
        Assert.Equal("[=============>                                     ]   12.3MB/45.6MB 27s", bar);
    }

    [Fact]
    public void Error_detail_ends_the_stream_with_its_message()
    {
        var ex = Assert.Throws<ProgressException>(() => Render(false, 80,
            """{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}"""));
        Assert.Equal("manifest unknown", ex.Message);
    }
}
