using System.Globalization;
using System.Text;

namespace Berth.Cli.Templates;

/// <summary>fmt.Sprintf, fmt.Sprint and fmt.Sprintln for the verbs templates use (%v %s %d %q %x %X %f %e %g %t %c %%).</summary>
internal static class GoPrintf
{
    public static string Sprint(IReadOnlyList<object?> args)
    {
        // Go adds a space between operands when neither is a string.
        var sb = new StringBuilder();
        for (int i = 0; i < args.Count; i++)
        {
            if (i > 0 && args[i] is not string && args[i - 1] is not string)
            {
                sb.Append(' ');
            }

            sb.Append(GoValues.Print(args[i]));
        }

        return sb.ToString();
    }

    public static string Sprintln(IReadOnlyList<object?> args) => string.Join(' ', args.Select(GoValues.Print)) + "\n";

    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        int argIndex = 0;
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }

            bool minus = false, plus = false, zero = false, space = false, sharp = false;
            for (i++; i < format.Length; i++)
            {
                switch (format[i])
                {
                    case '-': minus = true; continue;
                    case '+': plus = true; continue;
                    case '0': zero = !minus; continue;
                    case ' ': space = true; continue;
                    case '#': sharp = true; continue;
                }

                break;
            }

            int width = ReadNumber(format, ref i, args, ref argIndex);
            int precision = -1;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = Math.Max(0, ReadNumber(format, ref i, args, ref argIndex));
            }

            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }

            char verb = format[i];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }

            if (argIndex >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            object? arg = GoValues.Normalize(args[argIndex++]);
            string? text = FormatOne(verb, arg, precision, plus, space, sharp);
            if (text is null)
            {
                sb.Append("%!").Append(verb).Append('(').Append(GoValues.TypeName(arg)).Append('=').Append(GoValues.Print(arg)).Append(')');
                continue;
            }

            if (width > text.Length)
            {
                if (minus)
                {
                    text = text.PadRight(width);
                }
                else if (zero && verb is not ('s' or 'q' or 'v' or 't') && arg is long or double)
                {
                    bool negative = text.StartsWith('-') || text.StartsWith('+');
                    text = negative ? text[0] + text[1..].PadLeft(width - 1, '0') : text.PadLeft(width, '0');
                }
                else
                {
                    text = text.PadLeft(width);
                }
            }

            sb.Append(text);
        }

        if (argIndex < args.Count)
        {
            sb.Append("%!(EXTRA ");
            sb.AppendJoin(", ", args.Skip(argIndex).Select(a => GoValues.TypeName(GoValues.Normalize(a)) + "=" + GoValues.Print(a)));
            sb.Append(')');
        }

        return sb.ToString();
    }

    private static int ReadNumber(string format, ref int i, IReadOnlyList<object?> args, ref int argIndex)
    {
        if (i < format.Length && format[i] == '*')
        {
            i++;
            return argIndex < args.Count && GoValues.Normalize(args[argIndex++]) is long star ? (int)star : 0;
        }

        int start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
        {
            i++;
        }

        return i > start ? int.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture) : -1;
    }

    private static string? FormatOne(char verb, object? arg, int precision, bool plus, bool space, bool sharp)
    {
        switch (verb)
        {
            case 'v':
                if (arg is double dv)
                {
                    return Sign(GoValues.FormatFloat(dv, 'g', precision), dv >= 0, plus, space);
                }

                return sharp && arg is string sv ? Quote(sv) : GoValues.Print(arg);
            case 's':
                if (arg is long or double or bool)
                {
                    return null;
                }

                string s = GoValues.Print(arg);
                return precision >= 0 && s.Length > precision ? s[..precision] : s;
            case 'q':
                return arg switch
                {
                    string q => Quote(q),
                    long ch => Quote(char.ConvertFromUtf32((int)ch), '\''),
                    _ => null,
                };
            case 'd':
                return arg is long d ? Sign(d.ToString(CultureInfo.InvariantCulture), d >= 0, plus, space) : null;
            case 'x' or 'X':
                {
                    string? hex = arg switch
                    {
                        long l => l < 0 ? "-" + (-l).ToString("x", CultureInfo.InvariantCulture) : l.ToString("x", CultureInfo.InvariantCulture),
                        string str => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(str)),
                        _ => null,
                    };
                    if (hex is not null && sharp)
                    {
                        hex = hex.StartsWith('-') ? "-0x" + hex[1..] : "0x" + hex;
                    }

                    return verb == 'X' ? hex?.ToUpperInvariant() : hex;
                }

            case 'o':
                return arg is long o ? Convert.ToString(o, 8) : null;
            case 'b':
                return arg is long b ? Convert.ToString(b, 2) : null;
            case 'c':
                return arg is long c ? char.ConvertFromUtf32((int)c) : null;
            case 't':
                return arg is bool t ? (t ? "true" : "false") : null;
            case 'f' or 'F' or 'e' or 'E' or 'g' or 'G':
                {
                    double? f = arg switch { double x => x, _ => null };
                    if (f is null)
                    {
                        return null;
                    }

                    string text = GoValues.FormatFloat(f.Value, verb, precision);
                    return Sign(verb == 'G' ? text.ToUpperInvariant() : text, f >= 0, plus, space);
                }

            default:
                return null;
        }
    }

    private static string Sign(string text, bool nonNegative, bool plus, bool space) =>
        nonNegative && plus ? "+" + text : nonNegative && space ? " " + text : text;

    /// <summary>strconv.Quote: Go escapes for control characters, printable Unicode kept.</summary>
    public static string Quote(string s, char quote = '"')
    {
        var sb = new StringBuilder().Append(quote);
        foreach (Rune r in s.EnumerateRunes())
        {
            switch (r.Value)
            {
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                case '\\': sb.Append("\\\\"); break;
                default:
                    if (r.Value == quote)
                    {
                        sb.Append('\\').Append(quote);
                    }
                    else if (r.Value < 0x20 || r.Value == 0x7f)
                    {
                        sb.Append("\\x").Append(r.Value.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(r.ToString());
                    }

                    break;
            }
        }

        return sb.Append(quote).ToString();
    }
}
