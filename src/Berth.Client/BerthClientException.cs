namespace Berth.Client;

/// <summary>The daemon answered with an error status (Message is its <c>{"message"}</c>), or could not be reached (StatusCode 0).</summary>
public sealed class BerthClientException : Exception
{
    public BerthClientException()
    {
    }

    public BerthClientException(string message) : base(message)
    {
    }

    public BerthClientException(string message, Exception inner) : base(message, inner)
    {
    }

    public BerthClientException(int statusCode, string message, Exception? inner = null) : base(message, inner) => StatusCode = statusCode;

    /// <summary>The HTTP status; 0 when the daemon was not reached.</summary>
    public int StatusCode { get; }

    public bool IsNotFound => StatusCode == 404;

    /// <summary>What docker prints: "Error response from daemon: …" for daemon errors, the message alone for connection errors.</summary>
    public string DisplayMessage => StatusCode == 0 ? Message : "Error response from daemon: " + Message;
}
