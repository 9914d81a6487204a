namespace Berth.Core.Progress;

/// <summary>
/// One step of a long operation (pull, push, load), shaped like a line of Docker's JSON message stream so the daemon
/// maps it one to one: <see cref="Id"/> is the short layer ID (12 hex digits) or null for whole-image lines; Current
/// and Total fill <c>progressDetail</c> for "Downloading"/"Extracting"/"Pushing" lines.
/// </summary>
/// <param name="Id">Short layer ID, or a tag for push/pull headers; null for image-level status lines.</param>
/// <param name="Status">Docker's wording: "Pulling fs layer", "Downloading", "Verifying Checksum", "Download complete",
/// "Extracting", "Pull complete", "Already exists", "Waiting", "Pushing", "Pushed", "Layer already exists",
/// "Mounted from …", "Digest: sha256:…", "Status: Downloaded newer image for …".</param>
public sealed record ProgressEvent(string? Id, string Status)
{
    public long? Current { get; init; }

    public long? Total { get; init; }
}
