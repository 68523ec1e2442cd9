using Dapper;
using Sluice.Processing;
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
        // A new generation tells a running processor that its in-memory identity index is gone.
        var generation = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(generation), 0) + 1 FROM processor_positions", transaction: tx);
        await c.ExecuteAsync("DELETE FROM identity_journal", transaction: tx);
        await c.ExecuteAsync("DELETE FROM profile_merges", transaction: tx);
        await c.ExecuteAsync("DELETE FROM profiles", transaction: tx);
        await c.ExecuteAsync("DELETE FROM processor_positions", transaction: tx);
        var resume = Math.Max(0, fromPosition - 1);
        for (var partition = 0; partition < partitions; partition++)
        {
            await c.ExecuteAsync(
                "INSERT INTO processor_positions (partition, position, generation) VALUES (@partition, @resume, @generation)",
                new { partition, resume, generation }, tx);
        }
        await tx.CommitAsync(ct);
    }

    public async Task DeleteAsync(int partition, string accountId, long profileId, IEnumerable<IdentityEntry> tombstones, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var args = new { accountId, profileId };
        var entries = tombstones.ToList();
        if (entries.Count > 0)
        {
            await c.ExecuteAsync(
                "INSERT INTO identity_journal (partition, count, entries) VALUES (@partition, @count, @blob)",
                new { partition, count = entries.Count, blob = IdentityJournalCodec.Encode(entries) }, tx);
        }
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
