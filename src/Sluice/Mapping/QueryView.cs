using System.Text.Json.Nodes;
using Sluice.Api;
using Sluice.Query.Lql;

namespace Sluice.Mapping;

/// <summary>
/// A mapping in the shape of Lytics' query (<c>id</c>, <c>alias</c>, <c>table</c>, <c>from</c>, <c>into</c>,
/// <c>text</c>, <c>by_fields</c>, <c>created</c>, <c>updated</c>), with Sluice's <c>stream</c> and <c>built_in</c>.
/// <para>
/// Field shape: <c>fields</c> is an object keyed by field name, each value in Lytics' field shape (<c>as</c>,
/// <c>type</c>, <c>is_by</c>, <c>shortdesc</c>, <c>longdesc</c>, <c>identities</c>, <c>froms</c>) plus Sluice's
/// <c>merge_op</c>. go-lytics (and so the CLI) decodes <c>fields</c> as a map and fails on anything else, while
/// lytics-js only declares it as a list and passes it through; the same field objects are also listed, in column
/// order, as <c>columns</c> (the name Lytics' schema uses for its list) for readers that want an array.
/// </para>
/// </summary>
internal static class QueryView
{
    /// <param name="inEffectSince">For a built-in left as shipped: when it took effect for the account (its creation).</param>
    public static JsonObject Render(CompiledMapping m, bool builtIn, StoredMapping? stored, DateTimeOffset? inEffectSince = null)
    {
        var created = stored?.CreatedAt ?? (builtIn ? inEffectSince : null);
        var updated = stored?.UpdatedAt ?? (builtIn ? inEffectSince : null);
        var fields = new JsonObject();
        var columns = new JsonArray();
        foreach (var f in m.Fields)
        {
            // A field written by several guarded columns is one field of the query.
            if (fields.ContainsKey(f.Name)) continue;
            fields[f.Name] = Field(f, m.Stream);
            columns.Add(Field(f, m.Stream));
        }
        return new JsonObject
        {
            ["id"] = m.Alias,
            ["alias"] = m.Alias,
            ["table"] = m.Table,
            ["from"] = m.Stream,
            ["stream"] = m.Stream,
            ["into"] = m.Table,
            ["query_type"] = "lql",
            ["by_fields"] = new JsonArray([.. m.IdentityFields.Select(f => (JsonNode)f)]),
            ["fields"] = fields,
            ["columns"] = columns,
            ["built_in"] = builtIn,
            ["disabled"] = false,
            ["text"] = m.Text,
            ["created"] = created is { } c ? ApiJson.Time(c) : null,
            ["updated"] = updated is { } u ? ApiJson.Time(u) : null,
        };
    }

    /// <summary>One field in Lytics' shape; shared with <c>/api/schema</c>.</summary>
    public static JsonObject Field(MappingField f, params IEnumerable<string> froms) => new()
    {
        ["as"] = f.Name,
        ["type"] = FieldKinds.ToLql(f.Kind),
        ["is_by"] = f.IsIdentity,
        ["shortdesc"] = f.ShortDescription ?? "",
        ["longdesc"] = f.LongDescription ?? "",
        ["identities"] = f.IsIdentity ? new JsonArray(f.Name) : new JsonArray(),
        ["froms"] = new JsonArray([.. froms.Distinct(StringComparer.Ordinal).Select(s => (JsonNode)s)]),
        ["merge_op"] = f.MergeOp.ToString().ToUpperInvariant(),
        ["hidden"] = false,
        ["private"] = false,
    };
}
