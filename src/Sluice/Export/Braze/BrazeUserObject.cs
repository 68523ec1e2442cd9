using System.Text.Json.Nodes;

namespace Sluice.Export.Braze;

/// <summary>
/// One user's delta as Braze's <c>/users/track</c> takes it: the identifier (by the job's identifier type), and the
/// array attribute's <c>add</c> and <c>remove</c> (set operations, so a retried request is harmless), plus synced
/// profile fields. With <see cref="Replace"/>, the array is set whole to <see cref="Add"/> (a reconcile: Sluice cannot
/// read what Braze holds, so it asserts the whole value, which also drops values written behind its back).
/// </summary>
internal sealed record BrazeUserObject(
    string Identifier, IReadOnlyList<string> Add, IReadOnlyList<string> Remove, IReadOnlyDictionary<string, JsonNode?> Fields, bool Replace = false)
{
    public JsonObject ToJson(BrazeExportConfig config)
    {
        var o = new JsonObject();
        switch (config.IdentifierType)
        {
            case "user_alias":
                o["user_alias"] = new JsonObject { ["alias_name"] = Identifier, ["alias_label"] = config.ExternalIdField };
                break;
            default:
                o[config.IdentifierType] = Identifier;
                break;
        }
        if (Replace)
        {
            o[config.AttributeName] = new JsonArray([.. Add.Select(v => (JsonNode)v)]);
            foreach (var (name, value) in Fields) o[name] = value?.DeepClone();
            return o;
        }
        var change = new JsonObject();
        if (Add.Count > 0) change["add"] = new JsonArray([.. Add.Select(v => (JsonNode)v)]);
        if (Remove.Count > 0) change["remove"] = new JsonArray([.. Remove.Select(v => (JsonNode)v)]);
        if (change.Count > 0) o[config.AttributeName] = change;
        foreach (var (name, value) in Fields) o[name] = value?.DeepClone();
        return o;
    }

    /// <summary>Braze bills a data point per attribute written.</summary>
    public int DataPoints => (Replace || Add.Count > 0 || Remove.Count > 0 ? 1 : 0) + Fields.Count;
}
