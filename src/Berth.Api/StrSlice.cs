using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Berth.Api.Json;

namespace Berth.Api;

/// <summary>
/// Docker's <c>StrSlice</c>, the type of <c>Cmd</c> and <c>Entrypoint</c>: read from an array or a single string,
/// written as an array. A type of its own rather than a converter on each property, because a property-level converter
/// rules out the generated writer of the whole containing type (the create request the CLI sends on every run).
/// </summary>
[JsonConverter(typeof(StringOrArrayConverter))]
[CollectionBuilder(typeof(StrSlice), nameof(Create))]
public sealed class StrSlice : ReadOnlyCollection<string>
{
    public StrSlice(IList<string> items)
        : base(items)
    {
    }

    public static StrSlice Create(ReadOnlySpan<string> items) => new(items.ToArray());

    /// <summary>The same items as a <see cref="StrSlice"/> (the list itself when it already is one); null stays null.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(items))]
    public static StrSlice? From(IReadOnlyList<string>? items) => items switch
    {
        null => null,
        StrSlice slice => slice,
        _ => new StrSlice([.. items]),
    };
}
