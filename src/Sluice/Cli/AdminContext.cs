using Sluice.Accounts;
using Sluice.Auth;
using Sluice.Hosting;

namespace Sluice.Cli;

/// <summary>
/// The store of a data folder, opened directly for administrative commands. SQLite in WAL mode lets these run
/// beside a live server on the same folder.
/// </summary>
internal sealed class AdminContext : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private AdminContext(ServiceProvider services) => _services = services;

    public IServiceProvider Services => _services;

    public IAccountStore Accounts => _services.GetRequiredService<IAccountStore>();

    public TokenService Tokens => _services.GetRequiredService<TokenService>();

    public static async Task<AdminContext> OpenAsync(string dataDir, CancellationToken ct, Action<IServiceCollection>? configure = null)
    {
        return new AdminContext(await SluiceServices.OpenOfflineAsync(dataDir, configure, ct));
    }

    /// <summary>
    /// The account to act on: the one numbered, or the first one, created if the store is empty (without the
    /// server's first-start admin token: the command itself is making the token the user asked for).
    /// </summary>
    public async Task<(Account? Account, bool Created)> ResolveAccountAsync(long? number, CancellationToken ct)
    {
        if (number is { } n) return (await Accounts.FindByNumberAsync(n, ct), false);
        var before = (await Accounts.ListAsync(ct)).Count;
        var (account, _) = await AccountBootstrap.EnsureAccountAsync(Accounts, Tokens, ct, withAdminToken: false);
        return (account, before == 0);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
