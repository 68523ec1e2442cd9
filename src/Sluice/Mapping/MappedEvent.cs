using System.Text.Json.Nodes;

namespace Sluice.Mapping;

/// <summary>What a stream mapping makes of one event: its identity values and the profile fields it sets.</summary>
internal sealed record MappedEvent(
    IReadOnlyList<KeyValuePair<string, string>> Identities,
    IReadOnlyList<KeyValuePair<string, JsonNode?>> Fields);
