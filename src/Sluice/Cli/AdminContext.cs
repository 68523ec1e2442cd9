using Sluice.Accounts;
using Sluice.Auth;
using Sluice.Hosting;
using Sluice.Storage.Sqlite;

namespace Sluice.Cli;

/// <summary>
/// The store of a data folder, opened directly for administrative commands. SQLite in WAL mode lets these run
/// beside a live server on the same folder.
/// </summary>
internal sealed class AdminContext : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private AdminContext(ServiceProvider services) => _services = services;

    public IAccountStore Accounts => _services.GetRequiredService<IAccountStore>();

    public TokenService Tokens => _services.GetRequiredService<TokenService>();

    public static async Task<AdminContext> OpenAsync(string dataDir, CancellationToken ct)
    {
        var services = new ServiceCollection().AddSluiceStorage(dataDir).BuildServiceProvider();
        await SqliteMigrator.MigrateAsync(services.GetRequiredService<SqliteDatabase>(), ct);
        return new AdminContext(services);
    }

    /// <summary>The account to act on: the one numbered, or the only/first one (created if the store is empty).</summary>
    public async Task<(Account? Account, CreatedToken? BootstrapAdmin)> ResolveAccountAsync(long? number, CancellationToken ct)
    {
        if (number is { } n) return (await Accounts.FindByNumberAsync(n, ct), null);
        return await AccountBootstrap.EnsureAccountAsync(Accounts, Tokens, ct);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
