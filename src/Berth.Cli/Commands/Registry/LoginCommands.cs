using System.CommandLine;
using Berth.Api.Auth;

namespace Berth.Cli.Commands.Registry;

internal static class LoginCommands
{
    public static Command Login(CliContext cli)
    {
        var username = new Option<string?>("--username", "-u") { Description = "Username" };
        var password = new Option<string?>("--password", "-p") { Description = "Password or Personal Access Token (PAT)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Take the Password or Personal Access Token (PAT) from stdin" };
        var server = new Argument<string?>("SERVER") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("login", "Authenticate to a registry") { username, password, passwordStdin, server }.WithUsage("[OPTIONS] [SERVER]");
        return command.Runs(cli, async (parse, ct) =>
        {
            string address = parse.GetValue(server) ?? CredentialStore.DefaultServer;
            string? user = parse.GetValue(username);
            string? secret = parse.GetValue(password);
            if (parse.GetValue(passwordStdin))
            {
                if (secret is not null)
                {
                    throw new StatusException(1, "--password and --password-stdin are mutually exclusive");
                }

                using var reader = new StreamReader(cli.OpenStdin());
                secret = (await reader.ReadToEndAsync(ct)).TrimEnd('\n', '\r');
            }
            else if (secret is not null)
            {
                await cli.Err.WriteLineAsync("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
            }

            if (user is null || secret is null)
            {
                throw new StatusException(1, "Error: Cannot perform an interactive login from a non TTY device; use --username and --password-stdin");
            }

            var response = await cli.Client.AuthAsync(new AuthConfig { Username = user, Password = secret, ServerAddress = address }, ct);
            CredentialStore.Save(CredentialStore.ConfigPath(cli.Environment), address, user, secret);
            await cli.Out.WriteLineAsync(string.IsNullOrEmpty(response.Status) ? "Login Succeeded" : response.Status);
            return 0;
        });
    }

    public static Command Logout(CliContext cli)
    {
        var server = new Argument<string?>("SERVER") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("logout", "Log out from a registry") { server }.WithUsage("[SERVER]");
        return command.Runs(cli, async (parse, ct) =>
        {
            string address = parse.GetValue(server) ?? CredentialStore.DefaultServer;
            bool removed = CredentialStore.Remove(CredentialStore.ConfigPath(cli.Environment), address);
            await cli.Out.WriteLineAsync(removed ? $"Removing login credentials for {address}" : $"Not logged in to {address}");
            return 0;
        });
    }
}
