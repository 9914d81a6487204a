using System.Text;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Runtime.Spec;

/// <summary>
/// Reads and validates a bundle's config.json. Every error starts with "config.json: " and names the field in the
/// spec's own dotted/indexed notation, because the person reading it is editing that file.
/// </summary>
public static class SpecLoader
{
    public const string ConfigFileName = "config.json";

    private const string Prefix = ConfigFileName + ": ";

    /// <summary>Reads <c>&lt;bundle&gt;/config.json</c>, parses and validates it.</summary>
    public static RuntimeSpec Load(string bundleDir) => Parse(Read(bundleDir), bundleDir);

    /// <summary>The bytes of <c>&lt;bundle&gt;/config.json</c> (UTF-8 JSON), unparsed.</summary>
    public static byte[] Read(string bundleDir)
    {
        ArgumentNullException.ThrowIfNull(bundleDir);
        string path = Path.Combine(bundleDir, ConfigFileName);
        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Errors.NotFound($"{Prefix}no such file in bundle \"{bundleDir}\"");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new BerthException(ErrorKind.PermissionDenied, $"{Prefix}cannot read \"{path}\": permission denied", ex);
        }
        catch (IOException ex)
        {
            throw Errors.Internal($"{Prefix}cannot read \"{path}\": {ex.Message}", ex);
        }

        // An editor's byte order mark, which reading the file as text used to drop.
        return json.AsSpan().StartsWith("\uFEFF"u8) ? json[3..] : json;
    }

    /// <summary>Parses and validates config.json text; <paramref name="bundleDir"/> anchors a relative root.path.</summary>
    public static RuntimeSpec Parse(string json, string bundleDir)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), bundleDir);
    }

    /// <summary>Parses and validates config.json as UTF-8; <paramref name="bundleDir"/> anchors a relative root.path.</summary>
    public static RuntimeSpec Parse(ReadOnlySpan<byte> json, string bundleDir)
    {
        ArgumentNullException.ThrowIfNull(bundleDir);
        RuntimeSpec spec = Deserialize(json);
        Validate(spec, bundleDir);
        return spec;
    }

    /// <summary>Parses config.json text without validating it.</summary>
    public static RuntimeSpec Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Deserialize(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Parses config.json (UTF-8) without validating it: for the init, whose runtime validated these bytes.</summary>
    public static RuntimeSpec Deserialize(ReadOnlySpan<byte> json)
    {
        try
        {
            return SpecDocumentReader.Read(json);
        }
        catch (JsonException)
        {
            // Refused: the serializer parses it again for its error message, which names the position and field.
        }

        RuntimeSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize(json, SpecJsonContext.Default.RuntimeSpec);
        }
        catch (JsonException ex)
        {
            throw new BerthException(ErrorKind.InvalidArgument, Prefix + DescribeJsonError(ex), ex);
        }

        return spec ?? throw Errors.InvalidArgument($"{Prefix}the document is null, expected an object");
    }

    /// <summary>root.path made absolute against the bundle and normalized (no "..", no trailing slash).</summary>
    public static string RootfsPath(RuntimeSpec spec, string bundleDir)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(bundleDir);
        string root = spec.Root?.Path ?? "";

        // GetFullPath resolves "..", "." and doubled slashes lexically and anchors a relative bundle at the cwd,
        // which is what runc does when it is started from inside the bundle.
        string full = Path.GetFullPath(Path.Combine(Path.GetFullPath(bundleDir), root));
        return full.Length > 1 ? Path.TrimEndingDirectorySeparator(full) : full;
    }

    /// <summary>Checks everything that can be checked before anything is created; throws on the first problem.</summary>
    public static void Validate(RuntimeSpec spec, string bundleDir)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(bundleDir);
        try
        {
            SpecValidator.Validate(spec, bundleDir);
        }
        catch (BerthException ex)
        {
            throw new BerthException(ex.Kind, Prefix + ex.Message, ex.InnerException);
        }
    }

    // System.Text.Json's message ends with "Path: $.x | LineNumber: 2 | BytePositionInLine: 4."; we restate the
    // position 1-based (as editors count) and keep the JSON path, which names the field for type mismatches.
    private static string DescribeJsonError(JsonException ex)
    {
        string detail = ex.Message;
        int cut = detail.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = detail.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        if (cut >= 0)
        {
            detail = detail[..cut];
        }

        detail = detail.TrimEnd();

        // Our builds strip exception text down to resource keys (UseSystemResourceKeys); spell out the one a
        // hand-edited config.json hits most, a value of the wrong type.
        const string ConvertKey = "DeserializeUnableToConvertValue, ";
        if (detail.StartsWith(ConvertKey, StringComparison.Ordinal))
        {
            detail = $"expected a value of type {detail[ConvertKey.Length..]}";
        }

        if (ex.Path is { Length: > 1 } jsonPath)
        {
            // "$.process.args[0]" -> "process.args[0]", the notation the validation messages use.
            detail = $"{jsonPath.TrimStart('$').TrimStart('.')}: {detail}";
        }

        return ex.LineNumber is long line
            ? $"invalid JSON at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: {detail}"
            : $"invalid JSON: {detail}";
    }
}
