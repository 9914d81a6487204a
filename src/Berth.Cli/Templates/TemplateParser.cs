using System.Globalization;
using Berth.Cli.Templates.Nodes;

namespace Berth.Cli.Templates;

/// <summary>Recursive-descent parser for Go text/template (no define/template/block: docker's formats never use them).</summary>
internal sealed class TemplateParser
{
    private readonly string _name;
    private readonly string _source;
    private readonly List<Token> _tokens;
    private readonly IReadOnlySet<string> _functions;
    private readonly List<string> _variables = ["$"];
    private int _index;
    private int _rangeDepth;

    public TemplateParser(string name, string source, IReadOnlySet<string> functions)
    {
        _name = name;
        _source = source;
        _functions = functions;
        _tokens = new TemplateLexer(name, source).Lex();
    }

    public ListNode Parse()
    {
        ListNode list = ParseList(out Token stop);
        if (stop.Kind != TokenKind.Eof)
        {
            throw Error($"unexpected {{{{{stop.Value}}}}}", stop);
        }

        return list;
    }

    private Token Peek => _tokens[_index];

    private Token Next() => _tokens[_index++];

    private TemplateException Error(string message, Token at) => new($"template: {_name}:{at.Line}: {message}");

    /// <summary>Parses nodes until `{{end}}`, `{{else}}` or end of input; <paramref name="stop"/> is the keyword token (its delimiters consumed for `end`).</summary>
    private ListNode ParseList(out Token stop)
    {
        var list = new ListNode(Peek.Position, []);
        while (true)
        {
            Token t = Next();
            switch (t.Kind)
            {
                case TokenKind.Eof:
                    stop = t;
                    return list;
                case TokenKind.Text:
                    list.Nodes.Add(new TextNode(t.Position, t.Value));
                    break;
                case TokenKind.LeftDelim:
                    if (Peek.Kind == TokenKind.Keyword && Peek.Value is "end" or "else")
                    {
                        stop = Next();
                        if (stop.Value == "end")
                        {
                            Expect(TokenKind.RightDelim, "end");
                        }

                        return list;
                    }

                    list.Nodes.Add(ParseAction());
                    break;
                default:
                    throw Error($"unexpected {t.Value}", t);
            }
        }
    }

    private Token Expect(TokenKind kind, string context)
    {
        Token t = Next();
        if (t.Kind != kind)
        {
            throw Error(t.Kind == TokenKind.Eof ? "unclosed action" : $"unexpected \"{t.Value}\" in {context}", t);
        }

        return t;
    }

    private TemplateNode ParseAction()
    {
        Token t = Peek;
        if (t.Kind == TokenKind.Keyword)
        {
            Next();
            switch (t.Value)
            {
                case "if":
                    return ParseBranch(BranchKind.If, t);
                case "range":
                    return ParseBranch(BranchKind.Range, t);
                case "with":
                    return ParseBranch(BranchKind.With, t);
                case "break" or "continue":
                    if (_rangeDepth == 0)
                    {
                        throw Error($"{{{{{t.Value}}}}} outside {{{{range}}}}", t);
                    }

                    Expect(TokenKind.RightDelim, t.Value);
                    return new LoopControlNode(t.Position, t.Value == "break");
                default:
                    throw Error($"unexpected keyword \"{t.Value}\"; this template language subset has no {t.Value}", t);
            }
        }

        return new ActionNode(t.Position, ParsePipeline("command", allowDeclarations: true));
    }

    private BranchNode ParseBranch(BranchKind kind, Token keyword, bool elseIf = false)
    {
        int variables = _variables.Count;
        string context = kind.ToString().ToLowerInvariant();
        PipelineNode pipe = ParsePipeline(context, allowDeclarations: true);
        if (pipe.Commands.Count == 0)
        {
            throw Error($"missing value for {context}", keyword);
        }

        if (kind == BranchKind.Range)
        {
            _rangeDepth++;
        }

        ListNode list = ParseList(out Token stop);
        if (kind == BranchKind.Range)
        {
            _rangeDepth--;
        }

        ListNode? elseList = null;
        if (stop.Kind == TokenKind.Eof)
        {
            throw Error("unexpected EOF", stop);
        }

        if (stop.Value == "else")
        {
            if (Peek.Kind == TokenKind.Keyword && Peek.Value is "if" or "with" && (kind == BranchKind.If) == (Peek.Value == "if"))
            {
                // {{else if x}} is {{else}}{{if x}}…{{end}}{{end}} with a single shared {{end}}.
                Token nested = Next();
                elseList = new ListNode(nested.Position, [ParseBranch(kind, nested, elseIf: true)]);
            }
            else
            {
                Expect(TokenKind.RightDelim, "else");
                elseList = ParseList(out Token end);
                if (end.Kind == TokenKind.Eof || end.Value != "end")
                {
                    throw Error(end.Kind == TokenKind.Eof ? "unexpected EOF" : "expected end; found {{else}}", end);
                }
            }
        }

        _variables.RemoveRange(variables, _variables.Count - variables);
        _ = elseIf;
        return new BranchNode(keyword.Position, kind, pipe, list, elseList);
    }

    private PipelineNode ParsePipeline(string context, bool allowDeclarations)
    {
        Token start = Peek;
        var declarations = new List<string>();
        bool isAssign = false;
        if (allowDeclarations && Peek.Kind == TokenKind.Variable)
        {
            int save = _index;
            var names = new List<string> { Next().Value };
            if (Peek.Kind == TokenKind.Comma && context == "range")
            {
                Next();
                if (Peek.Kind == TokenKind.Variable)
                {
                    names.Add(Next().Value);
                }
            }

            if (Peek.Kind is TokenKind.Declare or TokenKind.Assign)
            {
                isAssign = Next().Kind == TokenKind.Assign;
                declarations = names;
                if (isAssign)
                {
                    foreach (string n in names)
                    {
                        RequireVariable(n, start);
                    }
                }
                else
                {
                    _variables.AddRange(names);
                }
            }
            else
            {
                _index = save;
            }
        }

        var commands = new List<CommandNode>();
        while (true)
        {
            Token t = Peek;
            if (t.Kind == TokenKind.RightDelim || t.Kind == TokenKind.RightParen)
            {
                Next();
                if (t.Kind == TokenKind.RightParen != (context == "parenthesized pipeline"))
                {
                    throw Error($"unexpected \"{t.Value}\" in {context}", t);
                }

                break;
            }

            if (t.Kind == TokenKind.Eof)
            {
                throw Error("unclosed action", t);
            }

            commands.Add(ParseCommand(context));
            if (Peek.Kind == TokenKind.Pipe)
            {
                Token pipe = Next();
                if (Peek.Kind is TokenKind.RightDelim or TokenKind.RightParen)
                {
                    throw Error("missing command", pipe);
                }
            }
        }

        if (commands.Count == 0 && (declarations.Count > 0 || context is "command" or "parenthesized pipeline"))
        {
            throw Error("missing value for " + context, start);
        }

        int end = Math.Min(_tokens[_index - 1].Position, _source.Length);
        string source = _source[Math.Min(start.Position, end)..end].Trim();
        return new PipelineNode(start.Position, source, declarations, isAssign, commands);
    }

    private CommandNode ParseCommand(string context)
    {
        var command = new CommandNode(Peek.Position, []);
        while (Peek.Kind is not (TokenKind.Pipe or TokenKind.RightDelim or TokenKind.RightParen or TokenKind.Eof))
        {
            if (command.Arguments.Count > 0 && !Peek.SpaceBefore && Peek.Kind != TokenKind.Field)
            {
                throw Error($"missing space? unexpected \"{Peek.Value}\" in operand", Peek);
            }

            command.Arguments.Add(ParseOperand(context));
        }

        if (command.Arguments.Count == 0)
        {
            throw Error("missing value for command", Peek);
        }

        return command;
    }

    private TemplateNode ParseOperand(string context)
    {
        Token t = Next();
        TemplateNode node = t.Kind switch
        {
            TokenKind.Field => new FieldNode(t.Position, [t.Value, .. ChainedFields()]),
            TokenKind.Variable => new VariableNode(t.Position, RequireVariable(t.Value, t), ChainedFields()),
            TokenKind.Dot => new DotNode(t.Position),
            TokenKind.Nil => new NilNode(t.Position),
            TokenKind.Bool => new ConstantNode(t.Position, t.Value == "true"),
            TokenKind.String => new ConstantNode(t.Position, t.Value),
            TokenKind.Char => new ConstantNode(t.Position, (long)char.ConvertToUtf32(t.Value, 0)),
            TokenKind.Number => new ConstantNode(t.Position, ParseNumber(t)),
            TokenKind.Identifier => _functions.Contains(t.Value)
                ? new IdentifierNode(t.Position, t.Value)
                : throw Error($"function \"{t.Value}\" not defined", t),
            TokenKind.LeftParen => ParsePipeline("parenthesized pipeline", allowDeclarations: false),
            _ => throw Error($"unexpected \"{t.Value}\" in {context}", t),
        };

        if (t.Kind == TokenKind.LeftParen && Peek.Kind == TokenKind.Field && !Peek.SpaceBefore)
        {
            node = new ChainNode(t.Position, node, ChainedFields());
        }

        return node;
    }

    private string[] ChainedFields()
    {
        var fields = new List<string>();
        while (Peek.Kind == TokenKind.Field && !Peek.SpaceBefore)
        {
            fields.Add(Next().Value);
        }

        return [.. fields];
    }

    private string RequireVariable(string name, Token at) =>
        _variables.Contains(name) ? name : throw Error($"undefined variable \"{name}\"", at);

    private object ParseNumber(Token t)
    {
        string s = t.Value.Replace("_", "", StringComparison.Ordinal);
        bool negative = s.StartsWith('-');
        string digits = s.TrimStart('-', '+');
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(digits.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long hex))
        {
            return negative ? -hex : hex;
        }

        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            return l;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
        {
            return d;
        }

        throw Error($"bad number syntax: \"{t.Value}\"", t);
    }
}
