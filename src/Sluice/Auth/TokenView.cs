namespace Sluice.Auth;

/// <summary>A token as the API and CLI show it. <see cref="Token"/> (the secret) is set only on creation.</summary>
internal sealed record TokenView(
    string Id,
    string Name,
    string? Description,
    IReadOnlyList<string> Roles,
    long AccountNumber,
    DateTimeOffset Created,
    DateTimeOffset? Expires,
    DateTimeOffset? Revoked,
    DateTimeOffset? LastUsed,
    string? Token = null)
{
    public static TokenView From(AccessToken t, long accountNumber) => new(
        t.Id, t.Name, t.Description, [.. t.Roles.Select(Auth.Roles.Name)], accountNumber, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt);
}
