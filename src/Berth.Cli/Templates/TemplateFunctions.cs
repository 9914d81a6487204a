using System.Globalization;
using System.Text;

namespace Berth.Cli.Templates;

/// <summary>Go's builtin template functions plus docker's (json, split, join, title, lower, upper, pad, truncate).</summary>
internal static class TemplateFunctions
{
    public delegate object? Function(IReadOnlyList<object?> args);

    public static readonly IReadOnlyDictionary<string, Function> All = new Dictionary<string, Function>(StringComparer.Ordinal)
    {
        ["and"] = args => Variadic("and", args, 1, a => a.FirstOrDefault(v => !GoValues.IsTrue(v), a[^1])),
        ["or"] = args => Variadic("or", args, 1, a => a.FirstOrDefault(GoValues.IsTrue, a[^1])),
        ["not"] = args => !GoValues.IsTrue(Exactly("not", args, 1)[0]),
        ["len"] = args => Length(Exactly("len", args, 1)[0]),
        ["index"] = args => Index(Variadic("index", args, 1, a => a)),
        ["slice"] = args => Slice(Variadic("slice", args, 1, a => a)),
        ["print"] = GoPrintf.Sprint,
        ["println"] = GoPrintf.Sprintln,
        ["printf"] = args => GoPrintf.Sprintf(String("printf", Variadic("printf", args, 1, a => a)[0]), args.Skip(1).ToList()),
        ["eq"] = args => Variadic("eq", args, 2, a => a.Skip(1).Any(b => Compare("eq", a[0], b) == 0)),
        ["ne"] = args => Compare("ne", Exactly("ne", args, 2)[0], args[1]) != 0,
        ["lt"] = args => Compare("lt", Exactly("lt", args, 2)[0], args[1], ordered: true) < 0,
        ["le"] = args => Compare("le", Exactly("le", args, 2)[0], args[1], ordered: true) <= 0,
        ["gt"] = args => Compare("gt", Exactly("gt", args, 2)[0], args[1], ordered: true) > 0,
        ["ge"] = args => Compare("ge", Exactly("ge", args, 2)[0], args[1], ordered: true) >= 0,
        ["json"] = args => GoValues.ToJson(Exactly("json", args, 1)[0]),
        ["split"] = args => (IReadOnlyList<object?>)String("split", Exactly("split", args, 2)[0]).Split(String("split", args[1])).Cast<object?>().ToList(),
        ["join"] = args => string.Join(String("join", Exactly("join", args, 2)[1]), StringList(args[0])),
        ["title"] = args => Title(String("title", Exactly("title", args, 1)[0])),
        ["lower"] = args => String("lower", Exactly("lower", args, 1)[0]).ToLowerInvariant(),
        ["upper"] = args => String("upper", Exactly("upper", args, 1)[0]).ToUpperInvariant(),
        ["pad"] = args => Pad(String("pad", Exactly("pad", args, 3)[0]), (int)Int(args[1]), (int)Int(args[2])),
        ["truncate"] = args => Truncate(String("truncate", Exactly("truncate", args, 2)[0]), (int)Int(args[1])),
    };

    private static T Variadic<T>(string name, IReadOnlyList<object?> args, int min, Func<IReadOnlyList<object?>, T> body) =>
        args.Count < min ? throw new TemplateException($"wrong number of args for {name}: want at least {min} got {args.Count}") : body(args);

    private static IReadOnlyList<object?> Exactly(string name, IReadOnlyList<object?> args, int count) =>
        args.Count != count ? throw new TemplateException($"wrong number of args for {name}: want {count} got {args.Count}") : args;

    private static string String(string name, object? v) => GoValues.Normalize(v) switch
    {
        string s => s,
        var other => throw new TemplateException($"error calling {name}: wrong type for value; expected string; got {GoValues.TypeName(other)}"),
    };

    private static long Int(object? v) => GoValues.Normalize(v) switch
    {
        long l => l,
        var other => throw new TemplateException($"wrong type for value; expected int; got {GoValues.TypeName(other)}"),
    };

    private static IEnumerable<string> StringList(object? v) => GoValues.IsList(v)
        ? GoValues.Items(v).Select(GoValues.Print)
        : throw new TemplateException($"wrong type for value; expected []string; got {GoValues.TypeName(v)}");

    private static long Length(object? v) => GoValues.Normalize(v) switch
    {
        string s => Encoding.UTF8.GetByteCount(s),
        var list when GoValues.IsList(list) => GoValues.Items(list).Count,
        var map when GoValues.IsMap(map) => GoValues.Entries(map).Count,
        var other => throw new TemplateException($"error calling len: len of type {GoValues.TypeName(other)}"),
    };

    private static object? Index(IReadOnlyList<object?> args)
    {
        object? item = GoValues.Normalize(args[0]);
        foreach (object? key in args.Skip(1))
        {
            if (GoValues.IsMap(item))
            {
                item = GoValues.TryGetKey(item, String("index", key), out object? value) ? value : null;
            }
            else if (GoValues.IsList(item) || item is string)
            {
                long i = Int(key);
                int count = item is string s ? s.Length : GoValues.Items(item).Count;
                if (i < 0 || i >= count)
                {
                    throw new TemplateException($"error calling index: index out of range: {i}");
                }

                item = item is string str ? (long)str[(int)i] : GoValues.Items(item)[(int)i];
            }
            else if (item is null)
            {
                throw new TemplateException("error calling index: index of untyped nil");
            }
            else
            {
                throw new TemplateException($"error calling index: can't index item of type {GoValues.TypeName(item)}");
            }
        }

        return item;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "Returns a string or a list, as Go's slice does.")]
    private static object Slice(IReadOnlyList<object?> args)
    {
        object? item = GoValues.Normalize(args[0]);
        int length = item is string s ? s.Length : GoValues.IsList(item) ? GoValues.Items(item).Count
            : throw new TemplateException($"error calling slice: can't slice item of type {GoValues.TypeName(item)}");
        int from = args.Count > 1 ? (int)Int(args[1]) : 0;
        int to = args.Count > 2 ? (int)Int(args[2]) : length;
        if (from < 0 || to < from || to > length)
        {
            throw new TemplateException($"error calling slice: index out of range: {(to > length ? to : from)}");
        }

        if (item is string str)
        {
            return str[from..to];
        }

        return GoValues.Items(item).GetRange(from, to - from);
    }

    /// <summary>Go's eq/lt: basic kinds only, integers and floats compare by value, strings ordinally.</summary>
    private static int Compare(string name, object? a, object? b, bool ordered = false)
    {
        a = GoValues.Normalize(a);
        b = GoValues.Normalize(b);
        switch (a, b)
        {
            case (long x, long y):
                return x.CompareTo(y);
            case (long or double, long or double):
                return Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture));
            case (string x, string y):
                return string.CompareOrdinal(x, y);
            case (bool x, bool y) when !ordered:
                return x == y ? 0 : 1;
            case (null, null) when !ordered:
                return 0;
            case (null, _) or (_, null) when !ordered:
                return 1;
        }

        if (ordered || a?.GetType() == b?.GetType())
        {
            throw new TemplateException($"error calling {name}: invalid type for comparison");
        }

        throw new TemplateException($"error calling {name}: incompatible types for comparison");
    }

    /// <summary>strings.Title: upper-cases the first letter of each word (a word follows anything but a letter, digit, underscore or apostrophe).</summary>
    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool boundary = true;
        foreach (char c in s)
        {
            sb.Append(boundary ? char.ToUpperInvariant(c) : c);
            boundary = !(char.IsLetterOrDigit(c) || c == '_' || c == '\'');
        }

        return sb.ToString();
    }

    private static string Pad(string s, int prefix, int suffix) => s.Length == 0 ? s : new string(' ', prefix) + s + new string(' ', suffix);

    private static string Truncate(string s, int length) => s.Length < length ? s : s[..length];
}
