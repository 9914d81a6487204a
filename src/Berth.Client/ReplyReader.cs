using System.Text.Json;
using Berth.Api;
using Berth.Api.Containers;

namespace Berth.Client;

/// <summary>
/// The replies every `berth run` and `berth exec` reads (container create, wait, exec create), read by hand as the
/// serializer reads them with <see cref="Api.Json.ApiJsonContext"/>: names matched case-insensitively, unknown ones
/// skipped, the last of a repeated one kept, null for JSON null, nothing after the value. Through a serializer context
/// the first read in a process built the type's metadata and the context's encoded names: about a tenth of a
/// `berth run -d`'s CPU, for two or three fields.
/// </summary>
internal static class ReplyReader
{
    private delegate T PropertyReader<T>(T value, string name, ref Utf8JsonReader reader);

    public static ContainerCreateResponse? Created(byte[] json) => Document(json, new ContainerCreateResponse(),
        static (ContainerCreateResponse reply, string name, ref Utf8JsonReader reader) =>
            Is(name, "Id") ? reply with { Id = reader.GetString()! }
            : Is(name, "Warnings") ? reply with { Warnings = Strings(ref reader)! }
            : Skip(reply, ref reader));

    public static ContainerWaitResponse? Waited(byte[] json) => Document(json, new ContainerWaitResponse(),
        static (ContainerWaitResponse reply, string name, ref Utf8JsonReader reader) =>
            Is(name, "StatusCode") ? reply with { StatusCode = reader.GetInt64() }
            : Is(name, "Error") ? reply with { Error = reader.TokenType == JsonTokenType.Null ? null : Object(ref reader, new WaitExitError(), ReadExitError) }
            : Skip(reply, ref reader));

    public static IdResponse? Id(byte[] json) => Document(json, new IdResponse(),
        static (IdResponse reply, string name, ref Utf8JsonReader reader) => Is(name, "Id") ? reply with { Id = reader.GetString()! } : Skip(reply, ref reader));

    private static WaitExitError ReadExitError(WaitExitError error, string name, ref Utf8JsonReader reader) =>
        Is(name, "Message") ? error with { Message = reader.GetString()! } : Skip(error, ref reader);

    private static T? Document<T>(byte[] json, T empty, PropertyReader<T> read)
        where T : class
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
        try
        {
            if (!reader.Read())
            {
                throw new JsonException("the reply is empty");
            }

            T? value = reader.TokenType == JsonTokenType.Null ? null : Object(ref reader, empty, read);
            if (reader.Read())
            {
                throw new JsonException($"unexpected {reader.TokenType} after the reply");
            }

            return value;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            // A value of the wrong kind, or a number out of range: the serializer reports both as JsonException.
            throw new JsonException(ex.Message, ex);
        }
    }

    private static T Object<T>(ref Utf8JsonReader reader, T value, PropertyReader<T> read)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected an object, found {reader.TokenType}");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            value = read(value, name, ref reader);
        }

        return value;
    }

    private static List<string?>? Strings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected an array, found {reader.TokenType}");
        }

        var values = new List<string?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(reader.GetString());
        }

        return values;
    }

    private static T Skip<T>(T value, ref Utf8JsonReader reader)
    {
        reader.Skip();
        return value;
    }

    private static bool Is(string name, string property) => name.Equals(property, StringComparison.OrdinalIgnoreCase);
}
