using System.Text;

namespace Berth.Cli.Tests.Client;

internal sealed record FakeRequest(string Method, string Target, Dictionary<string, string> Headers, string Body)
{
    public static async Task<FakeRequest?> ReadAsync(Stream stream)
    {
        var head = new List<byte>();
        byte[] one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            head.Add(one[0]);
        }

        string[] lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] first = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        byte[] body = headers.GetValueOrDefault("transfer-encoding") == "chunked"
            ? await ReadChunkedAsync(stream)
            : new byte[headers.TryGetValue("content-length", out string? cl) ? int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) : 0];
        if (!headers.ContainsKey("transfer-encoding"))
        {
            await stream.ReadExactlyAsync(body);
        }

        return new FakeRequest(first[0], first[1], headers, Encoding.UTF8.GetString(body));
    }

    private static async Task<byte[]> ReadChunkedAsync(Stream stream)
    {
        var body = new List<byte>();
        while (true)
        {
            int size = Convert.ToInt32(await ReadLineAsync(stream), 16);
            byte[] chunk = new byte[size];
            await stream.ReadExactlyAsync(chunk);
            body.AddRange(chunk);
            await ReadLineAsync(stream);
            if (size == 0)
            {
                return [.. body];
            }
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var line = new List<byte>();
        byte[] one = new byte[1];
        while (!(line.Count >= 2 && line[^2] == '\r' && line[^1] == '\n'))
        {
            await stream.ReadExactlyAsync(one);
            line.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. line], 0, line.Count - 2);
    }
}
