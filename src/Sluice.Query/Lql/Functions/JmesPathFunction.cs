using System.Globalization;
using DevLab.JmesPath;
using DevLab.JmesPath.Expressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Sluice.Query.Lql.Evaluation;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Functions;

/// <summary>
/// <c>json.jmespath(field, "expression")</c>: a JMESPath search (jmespath.org) over a field that holds JSON, either as
/// structure in the record or as JSON text in a string. The expression must be a literal, compiled once with the
/// mapping (a syntax error is refused there). Results become values as record fields do: a list of texts, a map of
/// texts, or a single value; no match writes nothing.
/// </summary>
internal sealed class JmesPathFunction : Expr
{
    /// <summary>Longest JSON text searched, in characters: a field's JSON, not a document store.</summary>
    public const int MaxJsonChars = 256 * 1024;

    /// <summary>Deepest JSON searched, as every other JSON input of Sluice.</summary>
    public const int MaxDepth = 64;

    /// <summary>Longest expression: a path, not a program.</summary>
    public const int MaxExpressionChars = 1024;

    private readonly Expr _argument;
    private readonly JmesPathExpression _search;

    private JmesPathFunction(Expr argument, JmesPathExpression search) => (_argument, _search) = (argument, search);

    public static Expr Build(Expr[] args)
    {
        if (args[1] is not ConstantExpr { Value.Kind: ValueKind.String } literal)
        {
            throw new FunctionArgumentException("the expression must be a literal string such as \"[?name == 'n1'].name | [0]\"");
        }

        var text = literal.Value.AsString();
        if (text.Length > MaxExpressionChars)
        {
            throw new FunctionArgumentException($"the expression is longer than {MaxExpressionChars} characters");
        }

        try
        {
            return new JmesPathFunction(args[0], new JmesPath().Parse(text));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The parser's own exceptions have no common base: any failure to parse is the expression's fault.
            throw new FunctionArgumentException($"\"{text}\" is not a JMESPath expression");
        }
    }

    public override Value Evaluate(System.Text.Json.JsonElement record)
    {
        var json = _argument is FieldExpr field ? FieldJson(field, record) : ValueJson(_argument.Evaluate(record));
        if (json is null || json.Length > MaxJsonChars)
        {
            return Value.Null;
        }

        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { MaxDepth = MaxDepth, DateParseHandling = DateParseHandling.None };
            var data = JToken.ReadFrom(reader);
            return ToValue(_search.Transform(data).AsJToken());
        }
        catch (Exception e) when (e is JsonException || e.GetType() == typeof(Exception))
        {
            // Not JSON, or deeper than the limit: nothing to search. JmesPath.Net reports data of the wrong type for
            // an expression (length of a number, sort of mixed items) as a plain Exception; that
            // is a property of one record, so it gives null rather than setting the event aside.
            return Value.Null;
        }
    }

    /// <summary>A field's JSON: its structure, or the JSON text a string field holds.</summary>
    private static string? FieldJson(FieldExpr field, System.Text.Json.JsonElement record)
    {
        if (!field.TryFind(record, out var found))
        {
            return null;
        }

        return found.ValueKind switch
        {
            System.Text.Json.JsonValueKind.String => found.GetString(),
            System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined => null,
            _ => found.GetRawText(),
        };
    }

    /// <summary>The JSON of a computed argument: text as JSON text, lists and maps as JSON arrays and objects of strings.</summary>
    private static string? ValueJson(Value value) => value.Kind switch
    {
        ValueKind.Null => null,
        ValueKind.StringList => JsonConvert.SerializeObject(value.AsList()),
        ValueKind.StringMap => JsonConvert.SerializeObject(value.AsStringMap()),
        _ => value.ToString(),
    };

    private static Value ToValue(JToken? token) => token?.Type switch
    {
        null or JTokenType.Null or JTokenType.Undefined => Value.Null,
        JTokenType.String => Value.FromString(token.Value<string>()),
        JTokenType.Integer => Value.FromLong(token.Value<long>()),
        JTokenType.Float => Value.FromDouble(token.Value<double>()),
        JTokenType.Boolean => Value.FromBool(token.Value<bool>()),
        JTokenType.Array => Value.FromList(token.Children().Where(t => t.Type != JTokenType.Null).Select(Text)),
        JTokenType.Object => Value.FromStringMap(((JObject)token).Properties()
            .Where(p => p.Value.Type != JTokenType.Null)
            .Select(p => KeyValuePair.Create(p.Name, Text(p.Value)))),
        _ => Value.FromString(Text(token)),
    };

    private static string Text(JToken token) => token.Type switch
    {
        JTokenType.String => token.Value<string>() ?? "",
        JTokenType.Integer => token.Value<long>().ToString(CultureInfo.InvariantCulture),
        JTokenType.Float => token.Value<double>().ToString("R", CultureInfo.InvariantCulture),
        JTokenType.Boolean => token.Value<bool>() ? "true" : "false",
        _ => token.ToString(Formatting.None),
    };
}
