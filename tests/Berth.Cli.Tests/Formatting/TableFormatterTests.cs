using Berth.Api.Containers;
using Berth.Api.Images;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Tests.Formatting;

public sealed class TableFormatterTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static ContainerSummary Container(string status = "Up 3 minutes") => new()
    {
        Id = "4f1b2c3d4e5f60718293a4b5c6d7e8f9001122334455667788990011aabbccdd",
        Names = ["/web"],
        Image = "busybox",
        ImageId = "sha256:abcdef0123456789",
        Command = "sh -c 'while true; do date; sleep 1; done'",
        Created = Now.ToUnixTimeSeconds() - 185,
        State = "running",
        Status = status,
        Labels = new Dictionary<string, string> { ["com.example"] = "yes" },
    };

    private static string Ps(string format, bool truncate = true, ContainerSummary? container = null) =>
        TableFormatter.Render(format, ContainerRow.DefaultTable, ContainerRow.Headers, [new ContainerRow(container ?? Container(), truncate, Now)]);

    [Fact]
    public void Default_ps_table_has_docker_columns_and_truncation()
    {
        Assert.Equal(
            "CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS         PORTS     NAMES\n" +
            "4f1b2c3d4e5f   busybox   \"sh -c 'while true; …\"   3 minutes ago   Up 3 minutes             web\n",
            Ps("table"));
    }

    [Fact]
    public void No_trunc_keeps_full_id_and_command()
    {
        string output = Ps("{{.ID}} {{.Command}}", truncate: false);
        Assert.Equal("4f1b2c3d4e5f60718293a4b5c6d7e8f9001122334455667788990011aabbccdd \"sh -c 'while true; do date; sleep 1; done'\"\n", output);
    }

    [Theory]
    [InlineData("{{.Names}}\\t{{.Status}}", "web\tUp 3 minutes\n")]
    [InlineData("table {{.Names}}\\t{{.Label \"com.example\"}}", "NAMES     \nweb       yes\n")]
    [InlineData("{{.Labels}}", "com.example=yes\n")]
    [InlineData("json", "{\"Command\":\"\\\"sh -c 'while true; …\\\"\",\"CreatedAt\":")]
    [InlineData("table {{.Names}}\\t{{.Nope}}", "")]
    public void Custom_formats(string format, string expectedStart)
    {
        if (format.Contains("Nope", StringComparison.Ordinal))
        {
            var ex = Assert.Throws<TemplateException>(() => Ps(format));
            Assert.Contains("can't evaluate field Nope in type *formatter.ContainerContext", ex.Message, StringComparison.Ordinal);
            return;
        }

        Assert.StartsWith(expectedStart, Ps(format), StringComparison.Ordinal);
    }

    [Fact]
    public void Images_rows_per_tag_and_none_for_untagged()
    {
        var tagged = new ImageSummary
        {
            Id = "sha256:0123456789abcdef0123456789abcdef",
            RepoTags = ["busybox:latest", "busybox:1.36"],
            RepoDigests = ["busybox@sha256:feed"],
            Created = Now.ToUnixTimeSeconds() - 7200,
            Size = 4_261_000,
        };
        var dangling = new ImageSummary { Id = "sha256:fedcba9876543210", Created = Now.ToUnixTimeSeconds() - 30, Size = 1200 };
        var rows = new[] { tagged, dangling }.SelectMany(i => ImageRow.For(i, truncate: true, showDigests: false, Now));
        Assert.Equal(
            "REPOSITORY   TAG       IMAGE ID       CREATED          SIZE\n" +
            "busybox      latest    0123456789ab   2 hours ago      4.26MB\n" +
            "busybox      1.36      0123456789ab   2 hours ago      4.26MB\n" +
            "<none>       <none>    fedcba987654   30 seconds ago   1.2kB\n",
            TableFormatter.Render("table", ImageRow.DefaultTable, ImageRow.Headers, rows));
    }

    [Fact]
    public void Digests_column_when_asked()
    {
        var image = new ImageSummary { Id = "sha256:0123456789abcdef", RepoTags = ["busybox:latest"], RepoDigests = ["busybox@sha256:feed"], Created = Now.ToUnixTimeSeconds(), Size = 1 };
        string output = TableFormatter.Render("table", ImageRow.DefaultTableWithDigests, ImageRow.Headers, ImageRow.For(image, true, true, Now));
        Assert.Contains("sha256:feed", output, StringComparison.Ordinal);
        Assert.StartsWith("REPOSITORY   TAG       DIGEST        IMAGE ID", output, StringComparison.Ordinal);
    }
}
