using System.Collections;
using System.Reflection;
using System.Text.Json;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Spec;

/// <summary>The hand-written reader must read exactly what the source-generated serializer reads.</summary>
public sealed class SpecDocumentReaderTests
{
    [Fact]
    public void Every_property_of_every_spec_type_reads_back_as_the_serializer_wrote_it()
    {
        var spec = (RuntimeSpec)Populate(typeof(RuntimeSpec), depth: 0);
        string json = Serialize(spec);

        Assert.Equal(json, Serialize(SpecDocumentReader.Read(json)));
    }

    [Fact]
    public void Runc_config_reads_as_the_serializer_reads_it()
    {
        AssertSameAsSerializer(RuncConfigFixture.Json);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"process": null, "mounts": null, "linux": {"namespaces": null, "sysctl": {"a": null}}}""")]
    [InlineData("""{"hostname": "a", "hostname": "b", "unknown": {"x": [1, {"y": null}]}}""")]
    [InlineData("""{/* comment */ "process": {"args": ["sh",], "user": {"uid": 5},},}""")]
    public void Defaults_nulls_repeats_unknowns_and_leniency_match_the_serializer(string json)
    {
        AssertSameAsSerializer(json);
    }

    [Theory]
    [InlineData("""{"process": {"terminal": "yes"}}""")]
    [InlineData("""{"process": {"user": {"uid": -1}}}""")]
    [InlineData("""{"process": {"user": {"uid": 1.5}}}""")]
    [InlineData("""{"process": {"args": "sh"}}""")]
    [InlineData("""{"mounts": [{"destination": 7}]}""")]
    [InlineData("""{"process": {"terminal": null}}""")]
    [InlineData("null")]
    [InlineData("{")]
    public void What_the_serializer_refuses_is_refused(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, SpecJsonContext.Default.RuntimeSpec)
            ?? throw new JsonException("null"));
        Assert.ThrowsAny<Exception>(() => SpecDocumentReader.Read(json));
    }

    private static void AssertSameAsSerializer(string json)
    {
        RuntimeSpec expected = JsonSerializer.Deserialize(json, SpecJsonContext.Default.RuntimeSpec)!;

        Assert.Equal(Serialize(expected), Serialize(SpecDocumentReader.Read(json)));
    }

    private static string Serialize(RuntimeSpec spec) => JsonSerializer.Serialize(spec, SpecJsonContext.Default.RuntimeSpec);

    /// <summary>An instance with every settable property given a value that differs from its default.</summary>
    private static object Populate(Type type, int depth)
    {
        object value = Activator.CreateInstance(type)!;
        int seed = 3;
        foreach (PropertyInfo property in type.GetProperties().Where(p => p.CanWrite))
        {
            property.SetValue(value, Sample(property.PropertyType, depth, seed++));
        }

        return value;
    }

    private static object Sample(Type type, int depth, int seed)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string))
        {
            return $"s{seed}";
        }

        if (t == typeof(bool))
        {
            return true;
        }

        if (t == typeof(int) || t == typeof(uint) || t == typeof(long) || t == typeof(ulong))
        {
            return Convert.ChangeType(seed, t, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return new Dictionary<string, string> { ["k" + seed] = "v" + seed, ["k2"] = "v2" };
        }

        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
        {
            Type item = t.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(t)!;
            list.Add(Sample(item, depth + 1, seed));
            list.Add(Sample(item, depth + 1, seed + 100));
            return list;
        }

        Assert.True(t.IsClass && depth < 8, $"unexpected property type {t}");
        return Populate(t, depth + 1);
    }
}
