using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Cli.Templates;
using Berth.Client;

namespace Berth.Cli.Commands.Container;

/// <summary>`inspect` (any object, container first then image), `container inspect` and `image inspect`.</summary>
internal static class InspectCommand
{
    public static Command Create(CliContext cli, string kind)
    {
        var format = new Option<string?>("--format", "-f") { Description = "Format output using a custom template" };
        var size = new Option<bool>("--size", "-s") { Description = "Display total file sizes if the type is container" };
        var type = new Option<string?>("--type") { Description = "Only inspect objects of the given type" };
        var names = new Argument<string[]>("NAME|ID") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("inspect", "Return low-level information on Docker objects") { format, size, names }.WithUsage("[OPTIONS] NAME|ID [NAME|ID...]");
        if (kind == "any")
        {
            command.Add(type);
        }

        return command.Runs(cli, async (parse, ct) =>
        {
            string? fmt = parse.GetValue(format);
            GoTemplate? template = fmt is null || fmt == "json" ? null : CliActions.ParseFormat(fmt).WithMissingKeyError();
            string wanted = kind == "any" ? parse.GetValue(type) ?? "any" : kind;
            var found = new List<JsonElement>();
            bool failed = false;
            foreach (string name in parse.GetValue(names)!)
            {
                try
                {
                    found.Add(await FetchAsync(cli, name, wanted, parse.GetValue(size), ct));
                }
                catch (BerthClientException ex) when (ex.IsNotFound)
                {
                    failed = true;
                    await cli.Err.WriteLineAsync(wanted switch
                    {
                        "container" => "Error response from daemon: " + ex.Message,
                        "image" => "Error response from daemon: " + ex.Message,
                        _ => $"Error: No such object: {name}",
                    });
                }
            }

            if (template is null)
            {
                await cli.Out.WriteLineAsync(Indent(found));
            }
            else
            {
                foreach (JsonElement element in found)
                {
                    var sb = new StringBuilder();
                    template.Execute(element, sb);
                    await cli.Out.WriteLineAsync(sb.ToString());
                }
            }

            return failed ? 1 : 0;
        });
    }

    private static async Task<JsonElement> FetchAsync(CliContext cli, string name, string kind, bool size, CancellationToken ct)
    {
        if (kind is "container" or "any")
        {
            try
            {
                return await cli.Client.ContainerInspectRawAsync(name, size, ct);
            }
            catch (BerthClientException ex) when (ex.IsNotFound && kind == "any")
            {
                // Not a container: try an image, as docker inspect does.
            }
        }

        return await cli.Client.ImageInspectRawAsync(name, ct);
    }

    /// <summary>docker prints a JSON array indented with four spaces, HTML characters unescaped.</summary>
    internal static string Indent(IReadOnlyList<JsonElement> elements)
    {
        if (elements.Count == 0)
        {
            return "[]";
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, IndentSize = 4, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (JsonElement e in elements)
            {
                e.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
