namespace Berth.Cli.Templates;

/// <summary>A template that does not parse or fails while executing; the message reads like Go's text/template.</summary>
internal sealed class TemplateException(string message) : Exception(message)
{
    public TemplateException() : this("template error")
    {
    }

    public TemplateException(string message, Exception inner) : this(message) => _ = inner;
}
