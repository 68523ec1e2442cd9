using System.Text.Json.Nodes;

namespace Sluice.Export.Braze;

/// <summary>
/// One user's delta as Braze's <c>/users/track</c> takes it: the identifier (by the job's identifier type), and the
/// array attribute's <c>add</c> and <c>remove</c> (set operations, so a retried request is harmless), plus synced
/// profile fields. With <see cref="Replace"/>, the array is set whole to <see cref="Add"/> (a reconcile: Sluice cannot
/// read what Braze holds, so it asserts the whole value, which also drops values written behind its back). With
/// <see cref="UpdateExistingOnly"/>, Braze changes the user only if it exists, and creates nobody.
/// </summary>
internal sealed record BrazeUserObject(
    string Identifier, IReadOnlyList<string> Add, IReadOnlyList<string> Remove, IReadOnlyDictionary<string, JsonNode?> Fields, bool Replace = false,
    bool UpdateExistingOnly = false)
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
        if (UpdateExistingOnly) o["_update_existing_only"] = true;
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

    /// <summary>
    /// One object per Braze user: a step can owe one user two objects (a merged-away profile's removal and the
    /// survivor's addition under the same identifier), and two requests in flight at once reach Braze in either
    /// order. Merged, what a live profile adds wins over what a gone one removes, and a whole-array replace over both.
    /// Returns each original object's merged object, to map delivery back.
    /// </summary>
    public static Dictionary<BrazeUserObject, BrazeUserObject> Coalesce(IReadOnlyList<BrazeUserObject> objects)
    {
        var byUser = new Dictionary<BrazeUserObject, BrazeUserObject>(ReferenceEqualityComparer.Instance);
        foreach (var group in objects.GroupBy(o => o.Identifier, StringComparer.Ordinal))
        {
            var list = group.ToList();
            if (list.Count == 1)
            {
                byUser[list[0]] = list[0];
                continue;
            }
            var replace = list.Any(o => o.Replace);
            var add = (replace ? list.Where(o => o.Replace) : list).SelectMany(o => o.Add).Distinct(StringComparer.Ordinal).ToList();
            var remove = replace ? [] : list.SelectMany(o => o.Remove).Distinct(StringComparer.Ordinal).Except(add, StringComparer.Ordinal).ToList();
            var fields = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var (name, value) in list.SelectMany(o => o.Fields)) fields[name] = value;
            // Another object for the same user may create it; the merged one creates nobody only if none of them would.
            var merged = new BrazeUserObject(group.Key, add, remove, fields, replace, list.All(o => o.UpdateExistingOnly));
            foreach (var o in list) byUser[o] = merged;
        }
        return byUser;
    }

    /// <summary>Braze bills a data point per attribute written.</summary>
    public int DataPoints => (Replace || Add.Count > 0 || Remove.Count > 0 ? 1 : 0) + Fields.Count;
}
