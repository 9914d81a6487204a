using Berth.Api.Containers;
using Berth.Cli.Commands.Image;
using Berth.Client;

namespace Berth.Cli.Commands.Container;

/// <summary>docker's createContainer: honours --pull, and on "No such image" pulls (progress on stderr) and retries.</summary>
internal static class ContainerCreator
{
    public static async Task<ContainerCreateResponse> CreateAsync(CliContext cli, ContainerCreateRequest request, string? name, string? platform, string pull, bool quiet, CancellationToken cancellationToken)
    {
        string image = request.Image ?? throw new UsageException("no image given");
        if (pull == "always")
        {
            await PullCommand.PullAsync(cli, image, platform, cli.Err, cli.StderrIsTerminal, quiet, cancellationToken);
        }

        ContainerCreateResponse response;
        try
        {
            response = await cli.Client.ContainerCreateAsync(request, name, platform, cancellationToken);
        }
        catch (BerthClientException ex) when (ex.IsNotFound && ex.Message.Contains("No such image", StringComparison.OrdinalIgnoreCase) && pull != "never" && pull != "always")
        {
            await cli.Err.WriteLineAsync($"Unable to find image '{ImageNames.WithDefaultTag(image)}' locally");
            await PullCommand.PullAsync(cli, image, platform, cli.Err, cli.StderrIsTerminal, quiet, cancellationToken);
            response = await cli.Client.ContainerCreateAsync(request, name, platform, cancellationToken);
        }

        foreach (string warning in response.Warnings)
        {
            await cli.Err.WriteLineAsync("WARNING: " + warning);
        }

        return response;
    }
}
