namespace Sluice.Audiences;

/// <summary>
/// A saved audience (Lytics calls it a segment): a FilterQL definition with a slug unique in its account. Default
/// audiences (<see cref="DefaultAudiences"/>) are created for every account and cannot be deleted.
/// </summary>
internal sealed record Audience(
    string Id, string AccountId, string Slug, string Name, string? Description, string SegmentQl, bool IsDefault,
    DateTimeOffset Created, DateTimeOffset Updated);
