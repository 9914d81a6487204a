namespace Berth.Client;

/// <summary>An HTTP/1.1 status line and its headers (names lower-cased).</summary>
internal sealed record HttpResponseHead(int Status, string Reason, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public string? this[string name] => Headers.FirstOrDefault(h => h.Key == name).Value;

    /// <summary>The body comes in chunks (Transfer-Encoding: chunked).</summary>
    public bool IsChunked => this["transfer-encoding"]?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The body's length when it is not chunked and the head gives one; otherwise it ends with the connection.</summary>
    public long? ContentLength =>
        !IsChunked && long.TryParse(this["content-length"], System.Globalization.CultureInfo.InvariantCulture, out long length) ? length : null;

    public static HttpResponseHead Parse(string text)
    {
        string[] lines = text.Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(statusLine[1], out int status))
        {
            throw new BerthClientException(0, "malformed HTTP response: " + lines[0]);
        }

        var headers = new List<KeyValuePair<string, string>>(lines.Length - 1);
        foreach (string line in lines.AsSpan(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new(line[..colon].Trim().ToLowerInvariant(), line[(colon + 1)..].Trim()));
            }
        }

        return new HttpResponseHead(status, statusLine.Length > 2 ? statusLine[2] : "", headers);
    }
}
