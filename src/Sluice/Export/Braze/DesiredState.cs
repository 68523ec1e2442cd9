using System.Text.Json.Nodes;
using Sluice.Profiles;
using Sluice.Query.Values;

namespace Sluice.Export.Braze;

/// <summary>What a profile should hold in Braze now: its identifier (from the job's field), its audiences' values, and synced fields.</summary>
internal sealed record DesiredState(string? Identifier, IReadOnlyList<string> Values, IReadOnlyDictionary<string, JsonNode?> Fields)
{
    public static DesiredState None { get; } = new(null, [], new Dictionary<string, JsonNode?>());

    /// <param name="valueByAudience">The job's audiences: audience id, and the token documents name it by (<see cref="Audiences.AudienceTokens"/>), → the value Braze sees (prefix + slug).</param>
    public static DesiredState Of(ProfileDocument doc, BrazeExportConfig config, IReadOnlyDictionary<string, string> valueByAudience)
    {
        var identifier = doc.Fields.TryGetValue(config.ExternalIdField, out var field) ? IdentifierOf(field.Value.Value) : null;
        var values = doc.Audiences.Where(valueByAudience.ContainsKey).Select(a => valueByAudience[a]).Order(StringComparer.Ordinal).ToList();
        var fields = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, attribute) in config.Fields)
        {
            if (doc.Fields.TryGetValue(name, out var f)) fields[attribute] = f.Value.ToJsonNode();
        }
        return new DesiredState(identifier, values, fields);
    }

    private static string? IdentifierOf(Value value) => value.Kind switch
    {
        ValueKind.String when !string.IsNullOrWhiteSpace(value.AsString()) => value.AsString(),
        ValueKind.Long => value.ToString(),
        _ => null,
    };
}
