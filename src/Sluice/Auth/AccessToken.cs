namespace Sluice.Auth;

/// <summary>A stored access token. The secret itself is never stored, only its SHA-256 hash.</summary>
internal sealed record AccessToken(
    string Id,
    string AccountId,
    string Name,
    string? Description,
    IReadOnlyList<Role> Roles,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt)
{
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
