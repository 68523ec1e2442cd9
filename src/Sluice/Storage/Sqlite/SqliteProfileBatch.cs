using Microsoft.Data.Sqlite;
using Sluice.Profiles;

namespace Sluice.Storage.Sqlite;

/// <summary>
/// One processor transaction on SQLite, with one prepared command per statement (the processor issues hundreds of
/// thousands per second). Reads see the batch's own writes; the log position commits with them.
/// </summary>
internal sealed class SqliteProfileBatch : IProfileBatch
{
    private readonly SqliteConnection _c;
    private readonly SqliteTransaction _tx;
    private readonly int _partition;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private bool _committed;

    private SqliteProfileBatch(SqliteConnection c, SqliteTransaction tx, int partition)
    {
        _c = c;
        _tx = tx;
        _partition = partition;
    }

    /// <summary>IMMEDIATE (not deferred) takes the write lock up front, so a batch never fails half way on a lock upgrade.</summary>
    public static SqliteProfileBatch Begin(SqliteConnection c, int partition) =>
        new(c, c.BeginTransaction(deferred: false), partition);

    public async Task<long> PositionAsync(CancellationToken ct)
    {
        var cmd = Command("SELECT position FROM processor_positions WHERE partition = $p", "$p");
        cmd.Parameters[0].Value = _partition;
        return await cmd.ExecuteScalarAsync(ct) is long p ? p : 0;
    }

    public async Task<IdentityRow?> FindIdentityAsync(string accountId, string name, string value, CancellationToken ct)
    {
        var cmd = Command("SELECT profile_id, links FROM identities WHERE account_id = $a AND name = $n AND value = $v", "$a", "$n", "$v");
        Set(cmd, accountId, name, value);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new IdentityRow(r.GetInt64(0), r.GetInt64(1)) : null;
    }

    public async Task SaveIdentityAsync(string accountId, string name, string value, IdentityRow row, CancellationToken ct)
    {
        var cmd = Command(
            """
            INSERT INTO identities (account_id, name, value, profile_id, links) VALUES ($a, $n, $v, $p, $l)
            ON CONFLICT (account_id, name, value) DO UPDATE SET profile_id = excluded.profile_id, links = excluded.links
            """, "$a", "$n", "$v", "$p", "$l");
        Set(cmd, accountId, name, value, row.ProfileId, row.Links);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task RepointIdentitiesAsync(string accountId, long fromProfile, long toProfile, CancellationToken ct)
    {
        var cmd = Command("UPDATE identities SET profile_id = $to WHERE profile_id = $from AND account_id = $a", "$to", "$from", "$a");
        Set(cmd, toProfile, fromProfile, accountId);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<StoredProfile?> LoadAsync(string accountId, long profileId, CancellationToken ct)
    {
        var cmd = Command("SELECT created_at, modified_at, last_event_at, doc FROM profiles WHERE id = $id AND account_id = $a", "$id", "$a");
        Set(cmd, profileId, accountId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new StoredProfile
        {
            Id = profileId,
            AccountId = accountId,
            CreatedAtMs = r.GetInt64(0),
            ModifiedAtMs = r.GetInt64(1),
            LastEventAtMs = r.GetInt64(2),
            Document = ProfileDocument.Deserialize((byte[])r.GetValue(3)),
        };
    }

    public async Task<long> InsertAsync(StoredProfile p, CancellationToken ct)
    {
        var cmd = Command(
            "INSERT INTO profiles (account_id, created_at, modified_at, last_event_at, doc) VALUES ($a, $c, $m, $l, $d) RETURNING id",
            "$a", "$c", "$m", "$l", "$d");
        Set(cmd, p.AccountId, p.CreatedAtMs, p.ModifiedAtMs, p.LastEventAtMs, p.Document.Serialize());
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task UpdateAsync(StoredProfile p, CancellationToken ct)
    {
        var cmd = Command("UPDATE profiles SET created_at = $c, modified_at = $m, last_event_at = $l, doc = $d WHERE id = $id", "$c", "$m", "$l", "$d", "$id");
        Set(cmd, p.CreatedAtMs, p.ModifiedAtMs, p.LastEventAtMs, p.Document.Serialize(), p.Id);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task RecordMergeAsync(string accountId, long mergedId, long survivorId, long atMs, CancellationToken ct)
    {
        var delete = Command("DELETE FROM profiles WHERE id = $id", "$id");
        Set(delete, mergedId);
        await delete.ExecuteNonQueryAsync(ct);
        var follow = Command("UPDATE profile_merges SET survivor_id = $s WHERE survivor_id = $m", "$s", "$m");
        Set(follow, survivorId, mergedId);
        await follow.ExecuteNonQueryAsync(ct);
        var record = Command(
            "INSERT INTO profile_merges (account_id, merged_id, survivor_id, merged_at) VALUES ($a, $m, $s, $t)",
            "$a", "$m", "$s", "$t");
        Set(record, accountId, mergedId, survivorId, atMs);
        await record.ExecuteNonQueryAsync(ct);
    }

    public async Task CommitAsync(long position, CancellationToken ct)
    {
        var cmd = Command(
            """
            INSERT INTO processor_positions (partition, position) VALUES ($p, $pos)
            ON CONFLICT (partition) DO UPDATE SET position = excluded.position
            """, "$p", "$pos");
        Set(cmd, _partition, position);
        await cmd.ExecuteNonQueryAsync(ct);
        await _tx.CommitAsync(ct);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cmd in _commands.Values) await cmd.DisposeAsync();
        if (!_committed) await _tx.RollbackAsync();
        await _tx.DisposeAsync();
        await _c.DisposeAsync();
    }

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        if (_commands.TryGetValue(sql, out var cmd)) return cmd;
        cmd = _c.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = sql;
        foreach (var p in parameters) cmd.Parameters.Add(new SqliteParameter { ParameterName = p });
        cmd.Prepare();
        _commands[sql] = cmd;
        return cmd;
    }

    private static void Set(SqliteCommand cmd, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i];
    }
}
