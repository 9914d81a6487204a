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
        byte[] body = new byte[headers.TryGetValue("content-length", out string? cl) ? int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) : 0];
        await stream.ReadExactlyAsync(body);
        return new FakeRequest(first[0], first[1], headers, Encoding.UTF8.GetString(body));
    }
}
