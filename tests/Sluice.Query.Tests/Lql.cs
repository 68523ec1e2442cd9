using System.Text.Json;
using Sluice.Query.Lql;
using Sluice.Query.Values;

namespace Sluice.Query.Tests;

/// <summary>Shortcuts for evaluating one expression against one JSON record.</summary>
internal static class Lql
{
    public static MappedRecord Map(string lql, string json)
    {
        using var doc = JsonDocument.Parse(json);
        return CompiledMapping.Compile(lql).Map(doc.RootElement);
    }

    /// <summary>The value <paramref name="expression"/> writes (null when it writes nothing).</summary>
    public static Value? Eval(string expression, string json, string kind = "")
    {
        var kindClause = kind.Length > 0 ? " KIND " + kind : string.Empty;
        var record = Map($"SELECT {expression} AS out{kindClause}, id FROM s INTO user BY id", json);
        var field = record.Fields.Where(f => f.Name == "out").ToList();
        return field.Count == 0 ? null : field[0].Value;
    }

    public static string? EvalText(string expression, string json, string kind = "") =>
        Eval(expression, json, kind)?.ToString();

    public static string Record(string value) => JsonSerializer.Serialize(new Dictionary<string, string> { ["x"] = value, ["id"] = "1" });
}
