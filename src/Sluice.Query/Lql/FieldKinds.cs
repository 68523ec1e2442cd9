using Sluice.Query.Values;

namespace Sluice.Query.Lql;

/// <summary>LQL names of kinds and merge operators.</summary>
public static class FieldKinds
{
    private static readonly Dictionary<string, FieldKind> KindNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["string"] = FieldKind.String,
        ["int"] = FieldKind.Int,
        ["integer"] = FieldKind.Int,
        ["number"] = FieldKind.Number,
        ["float"] = FieldKind.Number,
        ["bool"] = FieldKind.Bool,
        ["boolean"] = FieldKind.Bool,
        ["date"] = FieldKind.Date,
        ["time"] = FieldKind.Date,
        ["[]string"] = FieldKind.StringList,
        ["map[string]string"] = FieldKind.StringMap,
        ["map[string]int"] = FieldKind.IntMap,
        ["map[string]time"] = FieldKind.TimeMap,
    };

    private static readonly Dictionary<string, MergeOp> OpNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["latest"] = MergeOp.Latest,
        ["oldest"] = MergeOp.Oldest,
        ["set"] = MergeOp.Set,
        ["count"] = MergeOp.Count,
        ["sum"] = MergeOp.Sum,
        ["min"] = MergeOp.Min,
        ["max"] = MergeOp.Max,
    };

    public static bool TryParseKind(string name, out FieldKind kind) => KindNames.TryGetValue(name, out kind);

    public static bool TryParseMergeOp(string name, out MergeOp op) => OpNames.TryGetValue(name, out op);

    /// <summary>The LQL spelling: <c>string</c>, <c>[]string</c>, <c>map[string]time</c>...</summary>
    public static string ToLql(this FieldKind kind) => kind switch
    {
        FieldKind.String => "string",
        FieldKind.Int => "int",
        FieldKind.Number => "number",
        FieldKind.Bool => "bool",
        FieldKind.Date => "date",
        FieldKind.StringList => "[]string",
        FieldKind.StringMap => "map[string]string",
        FieldKind.IntMap => "map[string]int",
        _ => "map[string]time",
    };

    public static string ToLql(this MergeOp op) => op.ToString().ToUpperInvariant();
}
