namespace Berth.Cli.Templates;

/// <summary>A field that takes arguments, like docker's `{{.Label "com.example"}}`.</summary>
internal delegate object? TemplateMethod(IReadOnlyList<object?> arguments);
