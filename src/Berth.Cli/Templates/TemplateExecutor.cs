using System.Text;
using Berth.Cli.Templates.Nodes;

namespace Berth.Cli.Templates;

/// <summary>Walks a parsed template over data, with Go's semantics for fields, variables, pipelines and control flow.</summary>
internal sealed class TemplateExecutor(string name, string source, bool missingKeyError)
{
    private readonly List<(string Name, object? Value)> _variables = [];

    private sealed class LoopControl(bool isBreak) : Exception
    {
        public bool IsBreak { get; } = isBreak;
    }

    public void Execute(ListNode root, object? data, StringBuilder output)
    {
        _variables.Clear();
        _variables.Add(("$", data));
        Walk(root, data, output);
    }

    private void Walk(ListNode list, object? dot, StringBuilder output)
    {
        foreach (TemplateNode node in list.Nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case ActionNode action:
                    {
                        object? value = EvalPipeline(action.Pipe, dot);
                        if (action.Pipe.Declarations.Count == 0)
                        {
                            output.Append(GoValues.Print(value));
                        }

                        break;
                    }

                case BranchNode branch:
                    WalkBranch(branch, dot, output);
                    break;
                case LoopControlNode loop:
                    throw new LoopControl(loop.IsBreak);
            }
        }
    }

    private void WalkBranch(BranchNode branch, object? dot, StringBuilder output)
    {
        int mark = _variables.Count;
        try
        {
            if (branch.Kind == BranchKind.Range)
            {
                WalkRange(branch, dot, output);
                return;
            }

            object? value = EvalPipeline(branch.Pipe, dot);
            if (GoValues.IsTrue(value))
            {
                Walk(branch.List, branch.Kind == BranchKind.With ? value : dot, output);
            }
            else if (branch.Else is not null)
            {
                Walk(branch.Else, dot, output);
            }
        }
        finally
        {
            _variables.RemoveRange(mark, _variables.Count - mark);
        }
    }

    private void WalkRange(BranchNode branch, object? dot, StringBuilder output)
    {
        PipelineNode pipe = branch.Pipe with { Declarations = [] };
        object? value = GoValues.Normalize(EvalPipeline(pipe, dot));
        List<KeyValuePair<object?, object?>> items = value switch
        {
            _ when GoValues.IsList(value) => GoValues.Items(value).Select((v, i) => new KeyValuePair<object?, object?>((long)i, v)).ToList(),
            _ when GoValues.IsMap(value) => GoValues.Entries(value).Select(e => new KeyValuePair<object?, object?>(e.Key, e.Value)).ToList(),
            long n => Enumerable.Range(0, (int)Math.Max(0, n)).Select(i => new KeyValuePair<object?, object?>((long)i, (long)i)).ToList(),
            null or MissingValue => [],
            _ => throw Error(branch.Pipe, $"range can't iterate over {GoValues.Print(value)}"),
        };

        int mark = _variables.Count;
        foreach (var (key, item) in items)
        {
            _variables.RemoveRange(mark, _variables.Count - mark);
            List<string> names = branch.Pipe.Declarations;
            if (names.Count == 1)
            {
                _variables.Add((names[0], item));
            }
            else if (names.Count == 2)
            {
                _variables.Add((names[0], key));
                _variables.Add((names[1], item));
            }

            try
            {
                Walk(branch.List, item, output);
            }
            catch (LoopControl control)
            {
                if (control.IsBreak)
                {
                    break;
                }
            }
        }

        if (items.Count == 0 && branch.Else is not null)
        {
            Walk(branch.Else, dot, output);
        }
    }

    private object? EvalPipeline(PipelineNode pipe, object? dot)
    {
        object? value = null;
        bool hasValue = false;
        foreach (CommandNode command in pipe.Commands)
        {
            value = EvalCommand(command, dot, hasValue, value);
            hasValue = true;
        }

        foreach (string variable in pipe.Declarations)
        {
            if (pipe.IsAssign)
            {
                int i = _variables.FindLastIndex(v => v.Name == variable);
                _variables[i] = (variable, value);
            }
            else
            {
                _variables.Add((variable, value));
            }
        }

        return value;
    }

    private object? EvalCommand(CommandNode command, object? dot, bool hasFinal, object? final)
    {
        TemplateNode first = command.Arguments[0];
        List<TemplateNode> rest = command.Arguments.Skip(1).ToList();
        try
        {
            switch (first)
            {
                case FieldNode field:
                    return EvalFields(command, dot, field.Names, rest, dot, hasFinal, final);
                case VariableNode variable:
                    return EvalFields(command, Lookup(variable.Name), variable.Fields, rest, dot, hasFinal, final);
                case ChainNode chain:
                    return EvalFields(command, EvalArgument(chain.Node, dot), chain.Fields, rest, dot, hasFinal, final);
                case IdentifierNode function:
                    {
                        var args = rest.Select(a => EvalArgument(a, dot)).ToList();
                        if (hasFinal)
                        {
                            args.Add(final);
                        }

                        try
                        {
                            return TemplateFunctions.All[function.Name](args);
                        }
                        catch (TemplateException ex) when (!ex.Message.StartsWith("template:", StringComparison.Ordinal))
                        {
                            throw Error(command, ex.Message);
                        }
                    }
            }

            if (rest.Count > 0 || hasFinal)
            {
                throw Error(command, $"can't give argument to non-function {Describe(first)}");
            }

            return EvalArgument(first, dot);
        }
        catch (TemplateException ex) when (!ex.Message.StartsWith("template:", StringComparison.Ordinal))
        {
            throw Error(command, ex.Message);
        }
    }

    private object? EvalArgument(TemplateNode node, object? dot) => node switch
    {
        DotNode => dot,
        NilNode => null,
        ConstantNode c => c.Value,
        FieldNode f => EvalFields(node, dot, f.Names, [], dot, false, null),
        VariableNode v => EvalFields(node, Lookup(v.Name), v.Fields, [], dot, false, null),
        ChainNode c => EvalFields(node, EvalArgument(c.Node, dot), c.Fields, [], dot, false, null),
        PipelineNode p => EvalPipeline(p, dot),
        IdentifierNode f => TemplateFunctions.All[f.Name]([]),
        _ => throw Error(node, "can't evaluate " + Describe(node)),
    };

    private object? Lookup(string variable)
    {
        int i = _variables.FindLastIndex(v => v.Name == variable);
        return i < 0 ? throw new TemplateException($"undefined variable: {variable}") : _variables[i].Value;
    }

    private object? EvalFields(TemplateNode at, object? receiver, string[] names, List<TemplateNode> argNodes, object? dot, bool hasFinal, object? final)
    {
        for (int i = 0; i < names.Length; i++)
        {
            bool last = i == names.Length - 1;
            receiver = EvalField(at, receiver, names[i]);
            if (receiver is TemplateMethod method)
            {
                var args = last ? argNodes.Select(a => EvalArgument(a, dot)).ToList() : [];
                if (last && hasFinal)
                {
                    args.Add(final);
                }

                receiver = method(args);
                if (last)
                {
                    return receiver;
                }
            }
        }

        if (argNodes.Count > 0 || hasFinal)
        {
            throw Error(at, $"{names[^1]} is not a method but has arguments");
        }

        return receiver;
    }

    private object? EvalField(TemplateNode at, object? receiver, string field)
    {
        receiver = GoValues.Normalize(receiver);
        switch (receiver)
        {
            case MissingValue:
                return missingKeyError ? throw Error(at, $"nil data; no entry for key \"{field}\"") : receiver;
            case ITemplateObject o:
                return o.TryGetField(field, out object? value)
                    ? value
                    : throw Error(at, $"can't evaluate field {field} in type {o.TypeName}");
            case var map when GoValues.IsMap(map):
                if (GoValues.TryGetKey(map, field, out object? entry))
                {
                    return entry;
                }

                return missingKeyError ? throw Error(at, $"map has no entry for key \"{field}\"") : MissingValue.Instance;
            case null:
                return missingKeyError ? throw Error(at, $"nil pointer evaluating interface {{}}.{field}") : MissingValue.Instance;
            default:
                throw Error(at, $"can't evaluate field {field} in type {GoValues.TypeName(receiver)}");
        }
    }

    private TemplateException Error(TemplateNode at, string message)
    {
        int line = 1, lineStart = 0;
        for (int i = 0; i < at.Position && i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new TemplateException($"template: {name}:{line}:{at.Position - lineStart}: executing \"{name}\" at <{Describe(at)}>: {message}");
    }

    private static string Describe(TemplateNode node) => node switch
    {
        FieldNode f => "." + string.Join('.', f.Names),
        VariableNode v => v.Name + string.Concat(v.Fields.Select(f => "." + f)),
        IdentifierNode i => i.Name,
        DotNode => ".",
        NilNode => "nil",
        ConstantNode { Value: string s } => GoPrintf.Quote(s),
        ConstantNode c => GoValues.Print(c.Value),
        ChainNode c => "(" + Describe(c.Node) + ")" + string.Concat(c.Fields.Select(f => "." + f)),
        PipelineNode p => p.Source,
        CommandNode c => string.Join(' ', c.Arguments.Select(Describe)),
        _ => node.GetType().Name,
    };
}
