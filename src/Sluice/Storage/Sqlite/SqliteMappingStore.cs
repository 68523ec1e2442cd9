using Dapper;
using Sluice.Mapping;

namespace Sluice.Storage.Sqlite;

internal sealed class SqliteMappingStore(SqliteDatabase db) : IMappingStore
{
    public async Task<IReadOnlyList<StoredMapping>> ListAsync(string accountId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Alias, string Stream, string Text, long CreatedAt, long UpdatedAt)>(
            "SELECT alias, stream, text, created_at, updated_at FROM mappings WHERE account_id = @accountId ORDER BY alias", new { accountId });
        return [.. rows.Select(r => new StoredMapping(r.Alias, r.Stream, r.Text, UnixMs.To(r.CreatedAt), UnixMs.To(r.UpdatedAt)))];
    }

    public async Task UpsertAsync(string accountId, StoredMapping m, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(
            """
            INSERT INTO mappings (account_id, alias, stream, text, created_at, updated_at) VALUES (@accountId, @Alias, @Stream, @Text, @Created, @Updated)
            ON CONFLICT (account_id, alias) DO UPDATE SET stream = excluded.stream, text = excluded.text, updated_at = excluded.updated_at
            """,
            new { accountId, m.Alias, m.Stream, m.Text, Created = UnixMs.From(m.CreatedAt), Updated = UnixMs.From(m.UpdatedAt) });
    }

    public async Task<bool> DeleteAsync(string accountId, string alias, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync("DELETE FROM mappings WHERE account_id = @accountId AND alias = @alias", new { accountId, alias }) == 1;
    }
}
