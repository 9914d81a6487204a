namespace Berth.Cli.Templates;

/// <summary>Go's invalid reflect.Value: a map key that is absent. Prints as "&lt;no value&gt;".</summary>
internal sealed class MissingValue
{
    public static readonly MissingValue Instance = new();

    private MissingValue()
    {
    }

    public override string ToString() => "<no value>";
}
