using System.Text;
using Berth.Api.Auth;
using Berth.Core.Errors;
using Berth.Registry.Auth;

namespace Berth.Daemon.Backends;

/// <summary>The credential a client sent with one request (<c>X-Registry-Auth</c> or <c>/auth</c>), for any host the
/// request reaches: Docker scopes it to the request, not to a host.</summary>
internal sealed class AuthConfigCredentials(RegistryCredential credential) : IRegistryCredentials
{
    public RegistryCredential? Find(string registryHost) => credential;

    /// <summary>The credential in <paramref name="auth"/>: username/password, or the base64 <c>auth</c> field; null when empty.</summary>
    public static AuthConfigCredentials? From(AuthConfig? auth)
    {
        if (auth is null)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(auth.Username))
        {
            return new AuthConfigCredentials(new RegistryCredential(auth.Username, auth.Password ?? ""));
        }

        if (!string.IsNullOrEmpty(auth.Auth))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Auth));
            }
            catch (FormatException ex)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "invalid auth configuration: the auth field is not base64", ex);
            }

            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon > 0
                ? new AuthConfigCredentials(new RegistryCredential(decoded[..colon], decoded[(colon + 1)..]))
                : throw Errors.InvalidArgument("invalid auth configuration: the auth field is not user:password");
        }

        return string.IsNullOrEmpty(auth.IdentityToken)
            ? null
            : new AuthConfigCredentials(new RegistryCredential("<token>", auth.IdentityToken));
    }
}
