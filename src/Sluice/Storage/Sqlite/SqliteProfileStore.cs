using Dapper;
using Sluice.Profiles;

namespace Sluice.Storage.Sqlite;

internal sealed class SqliteProfileStore(SqliteDatabase db) : IProfileStore
{
    public async Task<IProfileBatch> BeginBatchAsync(int partition, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        try
        {
            return SqliteProfileBatch.Begin(connection, partition);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<long?> FindProfileIdAsync(string accountId, string identityName, string identityValue, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long?>(
            "SELECT profile_id FROM identities WHERE account_id = @accountId AND name = @identityName AND value = @identityValue",
            new { accountId, identityName, identityValue });
    }

    public async Task<StoredProfile?> LoadAsync(string accountId, long profileId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<ProfileRow>(ProfileRow.Select, new { accountId, profileId });
        if (row is null)
        {
            // Merged away: the merge record names the profile that absorbed it.
            var survivor = await c.ExecuteScalarAsync<long?>(
                "SELECT survivor_id FROM profile_merges WHERE merged_id = @profileId AND account_id = @accountId", new { accountId, profileId });
            if (survivor is { } s) row = await c.QuerySingleOrDefaultAsync<ProfileRow>(ProfileRow.Select, new { accountId, profileId = s });
        }
        return row?.ToProfile(accountId);
    }

    public async Task ResetAsync(long fromPosition, int partitions, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("DELETE FROM identities", transaction: tx);
        await c.ExecuteAsync("DELETE FROM profile_merges", transaction: tx);
        await c.ExecuteAsync("DELETE FROM profiles", transaction: tx);
        await c.ExecuteAsync("DELETE FROM processor_positions", transaction: tx);
        var resume = Math.Max(0, fromPosition - 1);
        for (var partition = 0; partition < partitions; partition++)
        {
            await c.ExecuteAsync("INSERT INTO processor_positions (partition, position) VALUES (@partition, @resume)", new { partition, resume }, tx);
        }
        await tx.CommitAsync(ct);
    }

    public async Task DeleteAsync(string accountId, long profileId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var args = new { accountId, profileId };
        await c.ExecuteAsync("DELETE FROM identities WHERE account_id = @accountId AND profile_id = @profileId", args, tx);
        await c.ExecuteAsync("DELETE FROM profile_merges WHERE account_id = @accountId AND survivor_id = @profileId", args, tx);
        await c.ExecuteAsync("DELETE FROM profiles WHERE account_id = @accountId AND id = @profileId", args, tx);
        await tx.CommitAsync(ct);
    }

    public async Task<long> PositionAsync(int partition, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long?>("SELECT position FROM processor_positions WHERE partition = @partition", new { partition }) ?? 0;
    }
}

internal sealed class ProfileRow
{
    public const string Select =
        "SELECT id AS Id, created_at AS CreatedAt, modified_at AS ModifiedAt, last_event_at AS LastEventAt, doc AS Doc " +
        "FROM profiles WHERE id = @profileId AND account_id = @accountId";

    public long Id { get; set; }
    public long CreatedAt { get; set; }
    public long ModifiedAt { get; set; }
    public long LastEventAt { get; set; }
    public byte[] Doc { get; set; } = [];

    public StoredProfile ToProfile(string accountId) => new()
    {
        Id = Id,
        AccountId = accountId,
        CreatedAtMs = CreatedAt,
        ModifiedAtMs = ModifiedAt,
        LastEventAtMs = LastEventAt,
        Document = ProfileDocument.Deserialize(Doc),
    };
}
