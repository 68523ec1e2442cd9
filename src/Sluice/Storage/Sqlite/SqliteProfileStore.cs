using System.Globalization;
using Dapper;
using Sluice.Processing;
using Sluice.Profiles;

namespace Sluice.Storage.Sqlite;

internal sealed class SqliteProfileStore(SqliteDatabase db, ILogger<SqliteProfileStore> logger) : IProfileStore, IAsyncDisposable
{
    private readonly Lock _walGate = new();
    private Task _walCheckpoint = Task.CompletedTask;
    private bool _walCheckpointWanted;
    private long _walBytes;

    /// <summary>
    /// About how much the processors commit to the WAL before it is checkpointed beside them. A checkpoint after every
    /// commit cost two fsyncs per live batch; SQLite's own default is 4 MiB and the store's other connections use 40 MiB.
    /// </summary>
    internal const long WalCheckpointBytes = 16L * 1024 * 1024;

    public async Task<IProfileBatch> BeginBatchAsync(int partition, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        try
        {
            return await SqliteProfileBatch.BeginAsync(connection, partition, ScheduleWalCheckpoint, ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task pending;
        lock (_walGate)
        {
            _walCheckpointWanted = false;
            pending = _walCheckpoint;
        }
        await pending;
    }

    /// <summary>
    /// A processor checkpoint can put hundreds of megabytes into the WAL. Copying them into the database file (and
    /// syncing it) is SQLite housekeeping, not part of the commit, so it runs here, beside processing, instead of in
    /// the committing call, once about <see cref="WalCheckpointBytes"/> were committed. One runs at a time; a request
    /// while one runs makes it run once more.
    /// </summary>
    private void ScheduleWalCheckpoint(long committedBytes)
    {
        lock (_walGate)
        {
            _walBytes += committedBytes;
            if (_walBytes < WalCheckpointBytes) return;
            _walBytes = 0;
            _walCheckpointWanted = true;
            if (!_walCheckpoint.IsCompleted) return;
            _walCheckpoint = Task.Run(WalCheckpointLoopAsync);
        }
    }

    private async Task WalCheckpointLoopAsync()
    {
        while (true)
        {
            lock (_walGate)
            {
                if (!_walCheckpointWanted) return;
                _walCheckpointWanted = false;
            }
            try
            {
                await using var c = await db.OpenAsync(CancellationToken.None);
                await c.ExecuteAsync("PRAGMA wal_checkpoint(PASSIVE)");
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                // Harmless: the WAL is checkpointed by the next request, or by SQLite at a later commit.
                logger.LogWarning("Background WAL checkpoint failed: {Reason}", e.Message);
            }
        }
    }

    public async Task<StoredProfile?> LoadAsync(string accountId, long profileId, CancellationToken ct) =>
        (await LoadRowAsync(accountId, profileId, ct))?.Decode();

    public async Task<CachedProfile?> LoadRowAsync(string accountId, long profileId, CancellationToken ct)
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
        return row is null ? null : new CachedProfile(row.Id, accountId, row.CreatedAt, row.ModifiedAt, row.LastEventAt, row.Doc);
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
        await c.ExecuteAsync("DELETE FROM audience_sizes", transaction: tx);
        await c.ExecuteAsync("DELETE FROM audience_timers", transaction: tx);
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

    public async Task<(long Position, long Generation)> PositionAsync(int partition, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT position, generation FROM processor_positions WHERE partition = $p";
        cmd.Parameters.AddWithValue("$p", partition);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetInt64(0), r.GetInt64(1)) : (0, 0);
    }

    public async Task<long> CountAsync(string accountId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM profiles WHERE account_id = @accountId", new { accountId });
    }

    public async Task<IReadOnlyList<CachedProfile>> ScanAsync(string accountId, long afterId, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        // By id, the table's own order: no index on account is needed to page through an account's profiles.
        cmd.CommandText =
            "SELECT id, created_at, modified_at, last_event_at, doc FROM profiles WHERE id > $after AND account_id = $a ORDER BY id LIMIT $limit";
        cmd.Parameters.AddWithValue("$after", afterId);
        cmd.Parameters.AddWithValue("$a", accountId);
        cmd.Parameters.AddWithValue("$limit", limit);
        var page = new List<CachedProfile>(limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) page.Add(new CachedProfile(r.GetInt64(0), accountId, r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), (byte[])r.GetValue(4)));
        return page;
    }

    public async Task<List<CachedProfile>> LoadRowsAsync(IReadOnlyCollection<long> profileIds, CancellationToken ct)
    {
        var found = new List<CachedProfile>(profileIds.Count);
        if (profileIds.Count == 0) return found;
        await using var c = await db.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        // One statement for the whole set: the ids travel as one JSON array parameter.
        cmd.CommandText = "SELECT id, account_id, created_at, modified_at, last_event_at, doc FROM profiles WHERE id IN (SELECT value FROM json_each($ids))";
        cmd.Parameters.AddWithValue("$ids", "[" + string.Join(',', profileIds.Select(id => id.ToString(CultureInfo.InvariantCulture))) + "]");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            found.Add(new CachedProfile(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), (byte[])r.GetValue(5)));
        }
        return found;
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
}
