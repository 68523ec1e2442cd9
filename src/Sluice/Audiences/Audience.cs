namespace Sluice.Audiences;

/// <summary>
/// A saved audience (Lytics calls it a segment): a FilterQL definition with a slug unique in its account. Default
/// audiences (<see cref="DefaultAudiences"/>) are created for every account and cannot be deleted.
/// </summary>
internal sealed record Audience(
    string Id, string AccountId, string Slug, string Name, string? Description, string SegmentQl, bool IsDefault,
    DateTimeOffset Created, DateTimeOffset Updated)
{
    /// <summary>
    /// Its number in the account, given by the store when it is created and never reused (0: not saved, as with a
    /// definition being checked). Internal: documents and the feed name audiences by it (<see cref="AudienceTokens"/>).
    /// </summary>
    public int Number { get; init; }

    /// <summary>How documents and the feed name this audience: its number, or its id when it has none.</summary>
    public string Token => Number > 0 ? AudienceTokens.Of(Number) : Id;
}
