using System.Text;

namespace Berth.Cli.Templates;

/// <summary>Splits a Go text/template source into text and action tokens, applying the `{{-`/`-}}` trim markers.</summary>
internal sealed class TemplateLexer(string name, string input)
{
    private const string Left = "{{";
    private const string Right = "}}";
    private static readonly HashSet<string> Keywords = ["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"];

    private readonly List<Token> _tokens = [];
    private int _pos;

    public List<Token> Lex()
    {
        bool trimNextText = false;
        while (_pos < input.Length)
        {
            int start = input.IndexOf(Left, _pos, StringComparison.Ordinal);
            int textEnd = start < 0 ? input.Length : start;
            bool trimLeft = start >= 0 && IsTrimMarker(start + Left.Length, left: true);
            string text = input[_pos..textEnd];
            if (trimNextText)
            {
                text = text.TrimStart(' ', '\t', '\r', '\n');
            }

            if (trimLeft)
            {
                text = text.TrimEnd(' ', '\t', '\r', '\n');
            }

            if (text.Length > 0)
            {
                _tokens.Add(new Token(TokenKind.Text, text, _pos, LineAt(_pos)));
            }

            if (start < 0)
            {
                break;
            }

            _pos = start + Left.Length + (trimLeft ? 2 : 0);
            _tokens.Add(new Token(TokenKind.LeftDelim, Left, start, LineAt(start)));
            trimNextText = LexAction();
        }

        _tokens.Add(new Token(TokenKind.Eof, "", input.Length, LineAt(input.Length)));
        return _tokens;
    }

    private bool IsTrimMarker(int at, bool left) => left
        ? at + 1 < input.Length && input[at] == '-' && IsSpace(input[at + 1])
        : at >= 2 && input[at - 1] == '-' && IsSpace(input[at - 2]);

    private int LineAt(int pos)
    {
        int line = 1;
        for (int i = 0; i < pos && i < input.Length; i++)
        {
            if (input[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    private TemplateException Error(string message, int pos) => new($"template: {name}:{LineAt(pos)}: {message}");

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    /// <summary>Lexes up to and including the closing delimiter; returns whether it carried a trim marker.</summary>
    private bool LexAction()
    {
        int actionStart = _pos;
        if (input.AsSpan(_pos).TrimStart().StartsWith("/*"))
        {
            int close = input.IndexOf("*/", _pos, StringComparison.Ordinal);
            if (close < 0)
            {
                throw Error("unclosed comment", actionStart);
            }

            _pos = close + 2;
            bool trim = input.AsSpan(_pos).StartsWith(" -}}");
            _pos += trim ? 2 : 0;
            while (_pos < input.Length && IsSpace(input[_pos]))
            {
                _pos++;
            }

            if (!input.AsSpan(_pos).StartsWith(Right))
            {
                throw Error("comment ends before closing delimiter", actionStart);
            }

            _tokens.RemoveAt(_tokens.Count - 1);
            _pos += Right.Length;
            return trim;
        }

        int parenDepth = 0;
        bool space = false;
        while (true)
        {
            if (_pos >= input.Length)
            {
                throw Error("unclosed action", actionStart);
            }

            char c = input[_pos];
            if (input.AsSpan(_pos).StartsWith(" -}}") || (c == '-' && input.AsSpan(_pos).StartsWith("-}}") && space))
            {
                _pos += c == ' ' ? 4 : 3;
                if (parenDepth > 0)
                {
                    throw Error("unclosed left paren", actionStart);
                }

                _tokens.Add(new Token(TokenKind.RightDelim, Right, _pos - 2, LineAt(_pos)));
                return true;
            }

            if (input.AsSpan(_pos).StartsWith(Right))
            {
                if (parenDepth > 0)
                {
                    throw Error("unclosed left paren", actionStart);
                }

                _pos += Right.Length;
                _tokens.Add(new Token(TokenKind.RightDelim, Right, _pos - 2, LineAt(_pos)));
                return false;
            }

            if (IsSpace(c))
            {
                if (c == '\n' || c == '\r')
                {
                    // Go allows newlines inside actions since 1.16; keep them as spaces.
                }

                _pos++;
                space = true;
                continue;
            }

            int start = _pos;
            switch (c)
            {
                case '|':
                    Add(TokenKind.Pipe, "|", start, space);
                    _pos++;
                    break;
                case '(':
                    parenDepth++;
                    Add(TokenKind.LeftParen, "(", start, space);
                    _pos++;
                    break;
                case ')':
                    if (--parenDepth < 0)
                    {
                        throw Error("unexpected right paren", start);
                    }

                    Add(TokenKind.RightParen, ")", start, space);
                    _pos++;
                    break;
                case ',':
                    Add(TokenKind.Comma, ",", start, space);
                    _pos++;
                    break;
                case ':':
                    if (_pos + 1 < input.Length && input[_pos + 1] == '=')
                    {
                        Add(TokenKind.Declare, ":=", start, space);
                        _pos += 2;
                        break;
                    }

                    throw Error("expected :=", start);
                case '=':
                    Add(TokenKind.Assign, "=", start, space);
                    _pos++;
                    break;
                case '"':
                    Add(TokenKind.String, LexQuoted(), start, space);
                    break;
                case '`':
                    {
                        int close = input.IndexOf('`', _pos + 1);
                        if (close < 0)
                        {
                            throw Error("unterminated raw quoted string", start);
                        }

                        Add(TokenKind.String, input[(_pos + 1)..close], start, space);
                        _pos = close + 1;
                        break;
                    }

                case '\'':
                    Add(TokenKind.Char, LexChar(), start, space);
                    break;
                case '$':
                    _pos++;
                    Add(TokenKind.Variable, "$" + LexWord(), start, space);
                    break;
                case '.':
                    if (_pos + 1 < input.Length && char.IsAsciiDigit(input[_pos + 1]))
                    {
                        Add(TokenKind.Number, LexNumber(), start, space);
                        break;
                    }

                    _pos++;
                    string field = LexWord();
                    Add(field.Length == 0 ? TokenKind.Dot : TokenKind.Field, field.Length == 0 ? "." : field, start, space);
                    break;
                default:
                    if (char.IsAsciiDigit(c) || ((c == '-' || c == '+') && _pos + 1 < input.Length && char.IsAsciiDigit(input[_pos + 1])))
                    {
                        Add(TokenKind.Number, LexNumber(), start, space);
                    }
                    else if (char.IsLetter(c) || c == '_')
                    {
                        string word = LexWord();
                        TokenKind kind = word switch
                        {
                            "true" or "false" => TokenKind.Bool,
                            "nil" => TokenKind.Nil,
                            _ when Keywords.Contains(word) => TokenKind.Keyword,
                            _ => TokenKind.Identifier,
                        };
                        Add(kind, word, start, space);
                    }
                    else
                    {
                        throw Error($"unrecognized character in action: U+{(int)c:X4} '{c}'", start);
                    }

                    break;
            }

            space = false;
        }
    }

    private void Add(TokenKind kind, string value, int start, bool space) => _tokens.Add(new Token(kind, value, start, LineAt(start), space));

    private string LexWord()
    {
        int start = _pos;
        while (_pos < input.Length && (char.IsLetterOrDigit(input[_pos]) || input[_pos] == '_'))
        {
            _pos++;
        }

        return input[start.._pos];
    }

    private string LexNumber()
    {
        int start = _pos;
        if (input[_pos] is '-' or '+')
        {
            _pos++;
        }

        while (_pos < input.Length && (char.IsAsciiLetterOrDigit(input[_pos]) || input[_pos] is '.' or '_' or 'x' or 'X'
            || (input[_pos] is '+' or '-' && input[_pos - 1] is 'e' or 'E')))
        {
            _pos++;
        }

        return input[start.._pos];
    }

    private string LexQuoted()
    {
        int start = _pos;
        var sb = new StringBuilder();
        _pos++;
        while (true)
        {
            if (_pos >= input.Length || input[_pos] == '\n')
            {
                throw Error("unterminated quoted string", start);
            }

            char c = input[_pos++];
            if (c == '"')
            {
                return sb.ToString();
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            sb.Append(Unescape(start));
        }
    }

    private string LexChar()
    {
        int start = _pos;
        _pos++;
        string value = input[_pos] == '\\' ? Unescape(start, skip: true) : input[_pos++].ToString();
        if (_pos >= input.Length || input[_pos] != '\'')
        {
            throw Error("unterminated character constant", start);
        }

        _pos++;
        return value;
    }

    private string Unescape(int start, bool skip = false)
    {
        if (skip)
        {
            _pos++;
        }

        if (_pos >= input.Length)
        {
            throw Error("unterminated quoted string", start);
        }

        char e = input[_pos++];
        switch (e)
        {
            case 'n': return "\n";
            case 't': return "\t";
            case 'r': return "\r";
            case '\\': return "\\";
            case '"': return "\"";
            case '\'': return "'";
            case 'a': return "\a";
            case 'b': return "\b";
            case 'f': return "\f";
            case 'v': return "\v";
            case 'x' or 'u' or 'U':
                {
                    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (_pos + digits > input.Length || !int.TryParse(input.AsSpan(_pos, digits), System.Globalization.NumberStyles.HexNumber, null, out int code))
                    {
                        throw Error("invalid syntax", start);
                    }

                    _pos += digits;
                    return char.ConvertFromUtf32(code);
                }

            default:
                throw Error("invalid syntax", start);
        }
    }
}
