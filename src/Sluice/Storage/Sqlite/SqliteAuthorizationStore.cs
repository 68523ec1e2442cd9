using Dapper;
using Sluice.Authorizations;

namespace Sluice.Storage.Sqlite;

internal sealed class SqliteAuthorizationStore(SqliteDatabase db) : IAuthorizationStore
{
    private const string Columns =
        "id AS Id, account_id AS AccountId, provider AS Provider, label AS Label, description AS Description, " +
        "config AS Config, secret AS Secret, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public async Task InsertAsync(StoredAuthorization a, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(
            """
            INSERT INTO authorizations (id, account_id, provider, label, description, config, secret, created_at, updated_at)
            VALUES (@Id, @AccountId, @Provider, @Label, @Description, @PublicConfig, @ProtectedSecrets, @CreatedAt, @UpdatedAt)
            """,
            new
            {
                a.Id,
                a.AccountId,
                a.Provider,
                a.Label,
                a.Description,
                a.PublicConfig,
                a.ProtectedSecrets,
                CreatedAt = UnixMs.From(a.Created),
                UpdatedAt = UnixMs.From(a.Updated),
            });
    }

    public async Task<StoredAuthorization?> GetAsync(string accountId, string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {Columns} FROM authorizations WHERE id = @id AND account_id = @accountId", new { id, accountId });
        return row?.ToAuthorization();
    }

    public async Task<IReadOnlyList<StoredAuthorization>> ListAsync(string accountId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(
            $"SELECT {Columns} FROM authorizations WHERE account_id = @accountId ORDER BY created_at, id", new { accountId });
        return [.. rows.Select(r => r.ToAuthorization())];
    }

    public async Task<bool> DeleteAsync(string accountId, string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync("DELETE FROM authorizations WHERE id = @id AND account_id = @accountId", new { id, accountId }) == 1;
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string Provider { get; set; } = "";
        public string Label { get; set; } = "";
        public string? Description { get; set; }
        public string Config { get; set; } = "{}";
        public byte[] Secret { get; set; } = [];
        public long CreatedAt { get; set; }
        public long UpdatedAt { get; set; }

        public StoredAuthorization ToAuthorization() =>
            new(Id, AccountId, Provider, Label, Description, Config, Secret, UnixMs.To(CreatedAt), UnixMs.To(UpdatedAt));
    }
}
