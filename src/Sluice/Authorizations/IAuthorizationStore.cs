namespace Sluice.Authorizations;

/// <summary>Authorizations of each account. Every read and delete is scoped to the account that owns the row.</summary>
internal interface IAuthorizationStore
{
    Task InsertAsync(StoredAuthorization authorization, CancellationToken ct);

    Task<StoredAuthorization?> GetAsync(string accountId, string id, CancellationToken ct);

    Task<IReadOnlyList<StoredAuthorization>> ListAsync(string accountId, CancellationToken ct);

    Task<bool> DeleteAsync(string accountId, string id, CancellationToken ct);
}
