using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sluice.Profiles;

/// <summary>
/// The JSON document of a profile: field values with the event time that set them (merge operators need it),
/// the identity values that point at the profile, and event counts per stream.
/// </summary>
internal sealed class ProfileDocument
{
    [JsonPropertyName("fields")]
    public Dictionary<string, FieldEntry> Fields { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Identity values as <c>name → values</c>, kept sorted so that the document is canonical.</summary>
    [JsonPropertyName("ids")]
    public SortedDictionary<string, SortedSet<string>> Identities { get; init; } = new(StringComparer.Ordinal);

    [JsonPropertyName("streams")]
    public SortedDictionary<string, long> EventsPerStream { get; init; } = new(StringComparer.Ordinal);

    public bool AddIdentity(string name, string value)
    {
        if (!Identities.TryGetValue(name, out var set))
        {
            set = new SortedSet<string>(StringComparer.Ordinal);
            Identities[name] = set;
        }
        return set.Add(value);
    }

    public string Serialize() => JsonSerializer.Serialize(this, ProfileJson.Options);

    public static ProfileDocument Deserialize(string json) =>
        JsonSerializer.Deserialize<ProfileDocument>(json, ProfileJson.Options) ?? new ProfileDocument();
}

/// <summary>A field value and the event time (Unix ms) of the event that set it.</summary>
internal sealed class FieldEntry
{
    [JsonPropertyName("v")]
    public JsonNode? Value { get; set; }

    [JsonPropertyName("t")]
    public long TimeMs { get; set; }
}

internal static class ProfileJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
