using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using Sluice.Accounts;

namespace Sluice.Storage.Sqlite;

internal sealed class SqliteAccountStore(SqliteDatabase db, TimeProvider time) : IAccountStore
{
    private const string Columns = "id AS Id, aid AS Number, name AS Name, created_at AS CreatedAt";

    public async Task<Account?> FindByNumberAsync(long number, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM accounts WHERE aid = @number", new { number });
        return row?.ToAccount();
    }

    public async Task<Account?> FindByIdAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM accounts WHERE id = @id", new { id });
        return row?.ToAccount();
    }

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>($"SELECT {Columns} FROM accounts ORDER BY created_at");
        return [.. rows.Select(r => r.ToAccount())];
    }

    public async Task<Account> CreateAsync(string name, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        // Account numbers are short and random (not sequential) so that they do not reveal how many tenants exist.
        for (var attempt = 0; ; attempt++)
        {
            var account = new Account(Guid.NewGuid().ToString("N"), RandomNumberGenerator.GetInt32(1000, 100_000), name, time.GetUtcNow());
            try
            {
                await c.ExecuteAsync(
                    "INSERT INTO accounts (id, aid, name, created_at) VALUES (@Id, @Number, @Name, @Created)",
                    new { account.Id, account.Number, account.Name, Created = UnixMs.From(account.CreatedAt) });
                return account;
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19 && attempt < 10)
            {
                // Constraint violation: the random number was taken; draw again.
            }
        }
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public long Number { get; set; }
        public string Name { get; set; } = "";
        public long CreatedAt { get; set; }

        public Account ToAccount() => new(Id, Number, Name, UnixMs.To(CreatedAt));
    }
}
