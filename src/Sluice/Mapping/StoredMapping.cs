namespace Sluice.Mapping;

/// <summary>An account's own LQL mapping as stored.</summary>
internal sealed record StoredMapping(string Alias, string Stream, string Text, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
