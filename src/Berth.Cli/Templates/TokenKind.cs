namespace Berth.Cli.Templates;

internal enum TokenKind
{
    Text,
    LeftDelim,
    RightDelim,
    Identifier,
    Keyword,
    Field,
    Variable,
    Dot,
    String,
    Number,
    Char,
    Bool,
    Nil,
    Declare,
    Assign,
    Pipe,
    LeftParen,
    RightParen,
    Comma,
    Eof,
}
