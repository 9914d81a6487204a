namespace Berth.Cli.Templates;

/// <param name="SpaceBefore">Whether whitespace preceded the token inside an action: `$x.F` chains a field, `$x .F` passes two arguments.</param>
internal readonly record struct Token(TokenKind Kind, string Value, int Position, int Line, bool SpaceBefore = false);
