using System.CommandLine;
using System.Text;
using System.Text.Json;
using Berth.Api;
using Berth.Api.Json;
using Berth.Client;

namespace Berth.Cli.Commands.Engine;

/// <summary>`version`: the client's own facts, then the server's /version, in docker's layout or through --format.</summary>
internal static class VersionCommand
{
    public static Command Create(CliContext cli)
    {
        var format = new Option<string?>("--format", "-f") { Description = "Format output using a custom template" };
        var command = new Command("version", "Show the Docker version information") { format }.WithUsage("[OPTIONS]");
        return command.Runs(cli, async (parse, ct) =>
        {
            string? fmt = parse.GetValue(format);
            var template = fmt is null || fmt == "json" ? null : CliActions.ParseFormat(fmt, "version", status: 64);
            string? serverJson = null;
            Api.Engine.VersionResponse? server = null;
            BerthClientException? error = null;
            try
            {
                server = await cli.Client.VersionAsync(ct);
                serverJson = JsonSerializer.Serialize(server, ApiJsonContext.Default.VersionResponse);
            }
            catch (BerthClientException ex)
            {
                error = ex;
            }

            string clientJson = ClientJson(cli.Client.ApiVersion ?? ApiVersions.Maximum);
            using JsonDocument data = JsonDocument.Parse($"{{\"Client\":{clientJson},\"Server\":{serverJson ?? "null"}}}");
            if (fmt == "json")
            {
                await cli.Out.WriteLineAsync(Templates.GoValues.ToJson(data.RootElement));
            }
            else if (template is not null)
            {
                var sb = new StringBuilder();
                template.Execute(data.RootElement, sb);
                await cli.Out.WriteLineAsync(sb.ToString());
            }
            else
            {
                await cli.Out.WriteAsync(Describe(cli.Client.ApiVersion ?? ApiVersions.Maximum, server));
            }

            if (error is not null)
            {
                throw new StatusException(1, error.Message);
            }

            return 0;
        });
    }

    private static string ClientJson(string apiVersion)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartObject("Platform");
            w.WriteString("Name", "Berth");
            w.WriteEndObject();
            w.WriteString("Version", ThisVersion);
            w.WriteString("ApiVersion", apiVersion);
            w.WriteString("DefaultAPIVersion", ApiVersions.Maximum);
            w.WriteString("GitCommit", "");
            w.WriteString("GoVersion", ".NET " + Environment.Version);
            w.WriteString("Os", "linux");
            w.WriteString(nameof(Arch), Arch);
            w.WriteString("BuildTime", "");
            w.WriteString("Context", "default");
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string ThisVersion => typeof(VersionCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static string Arch => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static string Describe(string apiVersion, Api.Engine.VersionResponse? server)
    {
        var sb = new StringBuilder();
        sb.Append("Client:\n");
        sb.Append($" Version:           {ThisVersion}\n");
        sb.Append($" API version:       {apiVersion}\n");
        sb.Append($" Go version:        .NET {Environment.Version}\n");
        sb.Append($" OS/Arch:           linux/{Arch}\n");
        sb.Append(" Context:           default\n");
        if (server is null)
        {
            return sb.ToString();
        }

        sb.Append($"\nServer: {server.Platform.Name}\n");
        sb.Append(" Engine:\n");
        sb.Append($"  Version:          {server.Version}\n");
        sb.Append($"  API version:      {server.ApiVersion} (minimum version {server.MinApiVersion})\n");
        sb.Append($"  Go version:       {server.GoVersion}\n");
        sb.Append($"  Git commit:       {server.GitCommit}\n");
        sb.Append($"  Built:            {server.BuildTime}\n");
        sb.Append($"  OS/Arch:          {server.Os}/{server.Arch}\n");
        sb.Append($"  Experimental:     {(server.Experimental == true ? "true" : "false")}\n");
        foreach (var component in server.Components.Where(c => c.Name != "Engine"))
        {
            sb.Append($" {component.Name}:\n");
            sb.Append($"  Version:          {component.Version}\n");
            foreach (var (key, value) in component.Details ?? new Dictionary<string, string>())
            {
                sb.Append($"  {key + ":",-18}{value}\n");
            }
        }

        return sb.ToString();
    }
}
