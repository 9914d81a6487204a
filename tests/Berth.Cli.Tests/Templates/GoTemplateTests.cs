using System.Text.Json;
using Berth.Cli.Templates;

namespace Berth.Cli.Tests.Templates;

/// <summary>Expected strings were printed by the real docker 28 CLI (`docker version --format …`) where marked.</summary>
public sealed class GoTemplateTests
{
    private const string Version = """
        {"Client":{"Platform":{"Name":""},"Version":"28.2.2","ApiVersion":"1.50","Os":"linux","Arch":"amd64","Experimental":false},
         "Labels":{"b":"2","a":"1"},"Names":["/x","/y"],"Null":null,"Pid":42,"Ratio":1.5,"Empty":[]}
        """;

    private static string Run(string template, string json = Version) =>
        GoTemplate.Parse(template).Execute(JsonDocument.Parse(json).RootElement);

    [Theory]
    [InlineData("{{.Client.Version}}", "28.2.2")]
    [InlineData("{{json .Client.Os}}", "\"linux\"")]
    [InlineData("{{.Client.Experimental}}", "false")]
    [InlineData("{{.Pid}} {{.Ratio}}", "42 1.5")]
    [InlineData("{{.Labels}}", "map[a:1 b:2]")]
    [InlineData("{{.Names}}", "[/x /y]")]
    [InlineData("{{.Null}}", "<nil>")]
    [InlineData("{{.Missing}}", "<no value>")]
    [InlineData("{{.Missing.Deeper}}", "<no value>")]
    [InlineData("{{json .Labels}}", "{\"b\":\"2\",\"a\":\"1\"}")]
    [InlineData("{{json .Names}}", "[\"/x\",\"/y\"]")]
    [InlineData("{{index .Labels \"a\"}}", "1")]
    [InlineData("{{index .Names 1}}", "/y")]
    [InlineData("{{len .Names}} {{len .Labels}} {{len \"héllo\"}}", "2 2 6")]
    [InlineData("{{join .Names \",\"}}", "/x,/y")]
    [InlineData("{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}", "a=1;b=2;")]
    [InlineData("{{range .Names}}[{{.}}]{{end}}", "[/x][/y]")]
    [InlineData("{{range .Empty}}x{{else}}none{{end}}", "none")]
    [InlineData("{{range $i, $e := .Names}}{{if $i}},{{end}}{{$e}}{{end}}", "/x,/y")]
    [InlineData("{{range $i, $e := .Names}}{{if eq $i 1}}{{break}}{{end}}{{$e}}{{end}}", "/x")]
    [InlineData("{{with .Client}}{{.Arch}}{{end}}", "amd64")]
    [InlineData("{{with .Null}}x{{else}}y{{end}}", "y")]
    [InlineData("{{$v := .Client.Version}}{{$v}}", "28.2.2")]
    [InlineData("{{$v := 1}}{{$v = 2}}{{$v}}", "2")]
    [InlineData("{{if .Client.Experimental}}a{{else if .Pid}}b{{else}}c{{end}}", "b")]
    [InlineData("{{.Client.Version | printf \"v%s\"}}", "v28.2.2")]
    [InlineData("{{(index .Names 0) | upper}}", "/X")]
    [InlineData("{{(.Client).Os}}", "linux")]
    [InlineData("{{$.Pid}}", "42")]
    [InlineData("a  {{- .Pid -}}  b", "a42b")]
    [InlineData("{{/* a comment */}}x", "x")]
    [InlineData("{{lt .Pid 50}} {{ge .Ratio 1.5}} {{gt \"b\" \"a\"}}", "true true true")]
    [InlineData("{{printf \"%d|%05d|%-3d|%+d|%x|%X|%o\" 7 42 1 5 255 255 8}}", "7|00042|1  |+5|ff|FF|10")]
    [InlineData("{{printf \"%.2f|%6.1f|%e|%g\" 3.14159 2.5 1234.5 0.000012}}", "3.14|   2.5|1.234500e+03|1.2e-05")]
    [InlineData("{{printf \"%d\" \"x\"}}", "%!d(string=x)")]
    [InlineData("{{printf \"%s %s\" \"x\"}}", "x %!s(MISSING)")]
    [InlineData("{{printf \"%s\" \"x\" 3}}", "x%!(EXTRA int=3)")]
    [InlineData("{{printf \"%t %v %c\" true .Names 65}}", "true [/x /y] A")]
    [InlineData("{{split \"a:b:c\" \":\"}}", "[a b c]")]
    [InlineData("{{slice \"abcdef\" 1 3}}", "bc")]
    [InlineData("{{range 3}}{{.}}{{end}}", "012")]
    [InlineData("{{\"a\\tb\\n\"}}", "a\tb\n")]
    [InlineData("{{`raw\\n`}}", "raw\\n")]
    [InlineData("{{'a'}}", "97")]
    public void Evaluates_like_go(string template, string expected) => Assert.Equal(expected, Run(template));

    // Each line printed by `docker version --format` with this exact template.
    [Theory]
    [InlineData("{{printf \"%5s|%-4d|%q|%v|%x\" \"ab\" 3 \"x\" 1.5 255}}", "   ab|3   |\"x\"|1.5|ff")]
    [InlineData("{{title \"hello world\"}}|{{pad \"x\" 2 3}}|{{truncate \"abcdef\" 3}}", "Hello World|  x   |abc")]
    [InlineData("{{split \"a,b\" \",\"}}|{{join (split \"a,b\" \",\") \"-\"}}|{{len \"abc\"}}|{{index (split \"a,b\" \",\") 1}}", "[a b]|a-b|3|b")]
    [InlineData("{{println \"a\" \"b\"}}|{{upper \"x\"}}{{lower \"Y\"}}", "a b\n|Xy")]
    [InlineData("{{range $i, $v := split \"a,b,c\" \",\"}}{{$i}}={{$v}} {{end}}", "0=a 1=b 2=c ")]
    [InlineData("{{if eq 1 2}}y{{else if eq 1 1}}z{{else}}n{{end}}", "z")]
    [InlineData("|{{- \"  trim\" -}}  |", "|  trim|")]
    [InlineData("{{json .Client.Version | printf \"%s!\"}}", "\"28.2.2\"!")]
    [InlineData("{{eq \"a\" \"b\" \"a\"}}|{{and 1 0}}|{{or 0 \"\" \"x\"}}|{{not 1}}|{{print 1 2 \"a\" \"b\" 3}}", "true|0|x|false|1 2ab3")]
    [InlineData("{{pad \"\" 2 2}}|", "|")]
    public void Matches_docker_cli(string template, string expected) => Assert.Equal(expected, Run(template));

    // docker version --format '{{.Foo' → "template parsing error: template: version:1: unclosed action".
    [Theory]
    [InlineData("{{.Foo", "template: :1: unclosed action")]
    [InlineData("{{foo .}}", "template: :1: function \"foo\" not defined")]
    [InlineData("{{end}}", "template: :1: unexpected {{end}}")]
    [InlineData("{{if .A}}x", "template: :1: unexpected EOF")]
    [InlineData("{{$x}}", "template: :1: undefined variable \"$x\"")]
    [InlineData("{{}}", "template: :1: missing value for command")]
    [InlineData("{{if}}{{end}}", "template: :1: missing value for if")]
    [InlineData("{{\"abc}}", "template: :1: unterminated quoted string")]
    [InlineData("{{break}}", "template: :1: {{break}} outside {{range}}")]
    [InlineData("a\n{{.A | }}", "template: :2: missing command")]
    public void Parse_errors_read_like_go(string template, string expected)
    {
        var ex = Assert.Throws<TemplateException>(() => GoTemplate.Parse(template));
        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void Missing_key_is_an_error_when_asked_as_docker_inspect_does()
    {
        var template = GoTemplate.Parse("{{.Foo}}").WithMissingKeyError();
        var ex = Assert.Throws<TemplateException>(() => template.Execute(JsonDocument.Parse("{}").RootElement));
        Assert.Equal("template: :1:2: executing \"\" at <.Foo>: map has no entry for key \"Foo\"", ex.Message);
    }

    [Theory]
    [InlineData("{{upper 1}}", "wrong type for value; expected string; got int")]
    [InlineData("{{index .Names 5}}", "error calling index: index out of range: 5")]
    [InlineData("{{upper}}", "wrong number of args for upper: want 1 got 0")]
    [InlineData("{{len .Pid}}", "error calling len: len of type int")]
    [InlineData("{{.Pid 1}}", "Pid is not a method but has arguments")]
    public void Execution_errors_name_the_problem(string template, string fragment)
    {
        var ex = Assert.Throws<TemplateException>(() => Run(template));
        Assert.True(ex.Message.Contains(fragment, StringComparison.Ordinal), ex.Message);
        Assert.StartsWith("template: :1:", ex.Message, StringComparison.Ordinal);
    }
}
