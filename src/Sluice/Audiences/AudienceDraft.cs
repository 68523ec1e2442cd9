namespace Sluice.Audiences;

/// <summary>
/// What a client asks an audience to become (create, or update where a null member keeps the current value).
/// </summary>
internal sealed record AudienceDraft(string? Name, string? Slug, string? Description, bool DescriptionGiven, string? SegmentQl);
