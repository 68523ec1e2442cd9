using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Export.Braze;

/// <summary>
/// The config of a <c>braze-export-audience</c> job (SPEC §6.1 and §11), with its defaults: which profile field holds
/// the Braze identifier and of which type, the audiences to export, whether to backfill existing members, the
/// attribute and value prefix Braze sees (<c>lytics_segments</c>, <c>lytics_</c>), profile fields to sync as
/// attributes, and batching.
/// </summary>
internal sealed record BrazeExportConfig(
    string ExternalIdField,
    string IdentifierType,
    IReadOnlyList<string> SegmentIds,
    bool ExistingUsers,
    string AttributeName,
    string SlugPrefix,
    IReadOnlyDictionary<string, string> Fields,
    int BatchSize,
    int LingerMs,
    int MaxArrayLength)
{
    public const int MaxBatchSize = 75;

    public static readonly string[] IdentifierTypes = ["external_id", "braze_id", "email", "user_alias"];

    /// <summary>Reads a config object; every problem is named with its key.</summary>
    public static BrazeExportConfig? Parse(JsonObject? config, out List<string> errors)
    {
        errors = [];
        config ??= [];
        var externalId = Text(config, "external_id_field", "braze_id", errors);
        var type = Text(config, "identifier_type", "external_id", errors);
        if (!IdentifierTypes.Contains(type, StringComparer.Ordinal)) errors.Add($"identifier_type must be one of {string.Join(", ", IdentifierTypes)}");
        var segments = new List<string>();
        if (config["segment_ids"] is JsonArray ids)
        {
            foreach (var id in ids)
            {
                if (id is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s)) segments.Add(s.Trim());
                else errors.Add("segment_ids must hold audience ids or slugs (strings)");
            }
        }
        else if (config["segment_ids"] is not null) errors.Add("segment_ids must be an array of audience ids or slugs");
        if (segments.Count == 0) errors.Add("segment_ids must name at least one audience");
        var existing = Bool(config, "existing_users", false, errors);
        var attribute = Text(config, "attribute_name", "lytics_segments", errors);
        var prefix = Text(config, "slug_prefix", "lytics_", errors, allowEmpty: true);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (config["fields"] is JsonObject map)
        {
            foreach (var (field, target) in map)
            {
                if (target is JsonValue v && v.TryGetValue<string>(out var t) && !string.IsNullOrWhiteSpace(t)) fields[field] = t;
                else errors.Add($"fields.{field} must name the Braze attribute to write");
            }
        }
        else if (config["fields"] is not null) errors.Add("fields must be an object: profile field → Braze attribute");
        var batch = Int(config, "batch_size", MaxBatchSize, 1, MaxBatchSize, errors);
        var linger = Int(config, "linger_ms", 1000, 0, 60_000, errors);
        var cap = Int(config, "max_array_length", 25, 1, 100, errors);
        return errors.Count > 0
            ? null
            : new BrazeExportConfig(externalId, type, segments, existing, attribute, prefix, fields, batch, linger, cap);
    }

    /// <summary>The config as stored and shown, with every default written out.</summary>
    public JsonObject ToJson() => new()
    {
        ["external_id_field"] = ExternalIdField,
        ["identifier_type"] = IdentifierType,
        ["segment_ids"] = new JsonArray([.. SegmentIds.Select(s => (JsonNode)s)]),
        ["existing_users"] = ExistingUsers,
        ["attribute_name"] = AttributeName,
        ["slug_prefix"] = SlugPrefix,
        ["fields"] = new JsonObject(Fields.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        ["batch_size"] = BatchSize,
        ["linger_ms"] = LingerMs,
        ["max_array_length"] = MaxArrayLength,
    };

    private static string Text(JsonObject config, string key, string fallback, List<string> errors, bool allowEmpty = false)
    {
        var node = config[key];
        if (node is null) return fallback;
        if (node is JsonValue v && v.TryGetValue<string>(out var s) && (allowEmpty || !string.IsNullOrWhiteSpace(s))) return s.Trim();
        errors.Add($"{key} must be a{(allowEmpty ? "" : " non-empty")} string");
        return fallback;
    }

    private static bool Bool(JsonObject config, string key, bool fallback, List<string> errors)
    {
        var node = config[key];
        if (node is null) return fallback;
        if (node.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return node.GetValue<bool>();
        errors.Add($"{key} must be true or false");
        return fallback;
    }

    private static int Int(JsonObject config, string key, int fallback, int min, int max, List<string> errors)
    {
        var node = config[key];
        if (node is null) return fallback;
        if (node.GetValueKind() == JsonValueKind.Number && int.TryParse(node.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        errors.Add($"{key} must be a whole number from {min} to {max}");
        return fallback;
    }
}
