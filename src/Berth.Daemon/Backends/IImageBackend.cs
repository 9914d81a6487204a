using Berth.Api.Auth;
using Berth.Api.Images;
using Berth.Core.Images;
using Berth.Core.Progress;
using Berth.Daemon.Http;

namespace Berth.Daemon.Backends;

/// <summary>
/// The image service as the images router calls it. <c>name</c> is what the client typed: a reference (short or
/// canonical), a full or short image ID, or <c>name@digest</c>; resolving it is the backend's job ("No such image: x"
/// as NotFound). Streams yield Docker-worded <see cref="ProgressEvent"/>s; an exception before the first event becomes
/// an HTTP error, after it an <c>errorDetail</c> line.
/// </summary>
internal interface IImageBackend
{
    IAsyncEnumerable<ProgressEvent> PullAsync(ImageReference reference, Platform? platform, AuthConfig? auth, CancellationToken cancellationToken);

    Task<IReadOnlyList<ImageSummary>> ListAsync(ImageListOptions options, CancellationToken cancellationToken);

    Task<ImageInspectResponse> InspectAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<ImageHistoryItem>> HistoryAsync(string name, CancellationToken cancellationToken);

    Task TagAsync(string source, ImageReference target, CancellationToken cancellationToken);

    Task<IReadOnlyList<ImageDeleteResponseItem>> DeleteAsync(string name, bool force, bool noPrune, CancellationToken cancellationToken);

    IAsyncEnumerable<ProgressEvent> PushAsync(ImageReference reference, AuthConfig? auth, CancellationToken cancellationToken);

    /// <summary>Writes a docker-save tar of <paramref name="names"/> (all must exist: checked before writing).</summary>
    Task SaveAsync(IReadOnlyList<string> names, Stream output, CancellationToken cancellationToken);

    /// <summary>Reads a docker-save or OCI layout tar; yields "Loaded image: x" events (Id null) and layer progress.</summary>
    IAsyncEnumerable<ProgressEvent> LoadAsync(Stream input, CancellationToken cancellationToken);

    Task<ImagePruneResponse> PruneAsync(FilterSet filters, CancellationToken cancellationToken);

    /// <summary>Checks credentials against the registry (<c>docker login</c>).</summary>
    Task<AuthResponse> LoginAsync(AuthConfig auth, CancellationToken cancellationToken);
}
