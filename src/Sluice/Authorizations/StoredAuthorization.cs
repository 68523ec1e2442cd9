namespace Sluice.Authorizations;

/// <summary>
/// An authorization as stored: <see cref="PublicConfig"/> is JSON that may be shown (an instance, the key's last
/// characters); <see cref="ProtectedSecrets"/> is the encrypted JSON of the secret keys, readable only through Data
/// Protection.
/// </summary>
internal sealed record StoredAuthorization(
    string Id,
    string AccountId,
    string Provider,
    string Label,
    string? Description,
    string PublicConfig,
    byte[] ProtectedSecrets,
    DateTimeOffset Created,
    DateTimeOffset Updated);
