namespace Sluice.Accounts;

internal interface IAccountStore
{
    Task<Account?> FindByNumberAsync(long number, CancellationToken ct);

    Task<Account?> FindByIdAsync(string id, CancellationToken ct);

    Task<IReadOnlyList<Account>> ListAsync(CancellationToken ct);

    /// <summary>Creates an account with a fresh random account number.</summary>
    Task<Account> CreateAsync(string name, CancellationToken ct);
}
