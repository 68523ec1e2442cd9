using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Sluice.Processing;
using Sluice.Profiles;

namespace Sluice.Storage.Sqlite;

/// <summary>
/// One write transaction of a partition's processor on SQLite (loading its state, or a checkpoint), with one prepared
/// command per statement. The log position commits with the changes.
/// </summary>
internal sealed partial class SqliteProfileBatch : IProfileBatch
{
    /// <summary>
    /// Rows per multi-row insert of new profiles, feed entries and timers. They are bound by position
    /// (<see cref="RawRowsInsert"/>), so the cost is linear in the rows and a statement can take many; by name, through
    /// SqliteCommand, it grew with the square of the parameters and 8 rows was the best.
    /// </summary>
    private const int RawRowsPerInsert = 32;

    /// <summary>One journal row: a batch of identity entries (<see cref="IdentityJournalCodec"/>).</summary>
    public const string AppendJournalSql = "INSERT INTO identity_journal (partition, entries) VALUES ($p, $e)";

    private readonly SqliteConnection _c;
    private readonly SqliteTransaction _tx;
    private readonly int _partition;
    private readonly Action<long> _committed;

    /// <summary>About how many bytes this transaction adds to the WAL: documents and journal entries, plus a few pages.</summary>
    private long _written = 3 * 4096;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private RawRowsInsert? _insertNew, _insertFeed, _upsertTimers;
    private bool _isCommitted;

    private SqliteProfileBatch(SqliteConnection c, SqliteTransaction tx, int partition, Action<long> committed)
    {
        _c = c;
        _tx = tx;
        _partition = partition;
        _committed = committed;
    }

    /// <summary>
    /// IMMEDIATE (not deferred) takes the write lock up front, so a batch never fails half way on a lock upgrade.
    /// This connection does not checkpoint the WAL when it commits; <paramref name="committed"/> is told about how many
    /// bytes the commit added to it, and has it done beside once enough have.
    /// </summary>
    public static async Task<SqliteProfileBatch> BeginAsync(SqliteConnection c, int partition, Action<long> committed, CancellationToken ct)
    {
        await using (var pragma = c.CreateCommand())
        {
            // Back to the default at the connection's next open (SqliteDatabase.OpenAsync sets it).
            SqliteDatabase.ForgetSettings(c);
            pragma.CommandText = "PRAGMA wal_autocheckpoint=0";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        return new(c, c.BeginTransaction(deferred: false), partition, committed);
    }

    public async Task<(long Position, long Generation)> PositionAsync(CancellationToken ct)
    {
        var cmd = Command("SELECT position, generation FROM processor_positions WHERE partition = $p", "$p");
        cmd.Parameters[0].Value = _partition;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetInt64(0), r.GetInt64(1)) : (0, 0);
    }

    public async Task<long> ReadIdentityJournalAsync(Action<IdentityEntry> apply, CancellationToken ct)
    {
        var cmd = Command("SELECT entries FROM identity_journal WHERE partition = $p ORDER BY seq", "$p");
        cmd.Parameters[0].Value = _partition;
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);
        long entries = 0;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) entries += IdentityJournalCodec.Decode((byte[])r.GetValue(0), shared, apply);
        return entries;
    }

    public async Task RewriteIdentityJournalAsync(IReadOnlyList<IdentityEntry> live, CancellationToken ct)
    {
        var delete = Command("DELETE FROM identity_journal WHERE partition = $p", "$p");
        delete.Parameters[0].Value = _partition;
        await delete.ExecuteNonQueryAsync(ct);
        await AppendIdentityJournalAsync(live, ct);
    }

    /// <summary>
    /// Entries per journal row. A burst of new people queues millions between two checkpoints; encoded whole, they made
    /// one buffer of tens of megabytes (and its copy) at the peak of the partition's memory.
    /// </summary>
    private const int JournalEntriesPerRow = 50_000;

    public async Task AppendIdentityJournalAsync(IReadOnlyCollection<IdentityEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0) return;
        var cmd = Command(AppendJournalSql, "$p", "$e");
        // A list is encoded a slice at a time where it lies: chunking copied every entry into arrays of 2 MB each.
        var list = entries as IReadOnlyList<IdentityEntry> ?? [.. entries];
        for (var start = 0; start < list.Count; start += JournalEntriesPerRow)
        {
            var encoded = IdentityJournalCodec.Encode(list, start, Math.Min(JournalEntriesPerRow, list.Count - start));
            _written += encoded.Length;
            Set(cmd, _partition, encoded);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task<long> LastProfileIdAsync(CancellationToken ct)
    {
        // A profile created and merged away within one batch is never written, only its merge record is.
        var cmd = Command(
            "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'profiles'), 0), COALESCE((SELECT MAX(merged_id) FROM profile_merges), 0))");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task SaveAsync(IReadOnlyCollection<CachedProfile> profiles, CancellationToken ct)
    {
        // In id order, so that consecutive statements touch neighbouring pages. New profiles go in with multi-row
        // inserts (their ids are the largest, so they append); existing ones are updated one statement each, which
        // SQLite runs faster than a multi-row upsert that checks every row for a conflict.
        var ordered = profiles.OrderBy(p => p.Id).ToArray();
        foreach (var p in ordered) _written += p.Doc.Length + 64;
        InsertNew(ordered.Where(p => p.IsNew).ToList(), ct);
        var update = Command("UPDATE profiles SET created_at = $c, modified_at = $m, last_event_at = $l, doc = $d WHERE id = $id", "$c", "$m", "$l", "$d", "$id");
        foreach (var p in ordered)
        {
            if (p.IsNew) continue;
            Set(update, p.CreatedAtMs, p.ModifiedAtMs, p.LastEventAtMs, p.Doc, p.Id);
            await update.ExecuteNonQueryAsync(ct);
        }
    }

    private void InsertNew(List<CachedProfile> created, CancellationToken ct)
    {
        if (created.Count == 0) return;
        var insert = _insertNew ??= new RawRowsInsert(_c, "INSERT INTO profiles (id, account_id, created_at, modified_at, last_event_at, doc)", 6, RawRowsPerInsert);
        var i = 0;
        while (i < created.Count)
        {
            ct.ThrowIfCancellationRequested();
            insert.Begin(created.Count - i);
            for (var r = insert.Rows; r > 0; r--)
            {
                var p = created[i++];
                insert.Bind(0, p.Id);
                insert.Bind(1, p.AccountId);
                insert.Bind(2, p.CreatedAtMs);
                insert.Bind(3, p.ModifiedAtMs);
                insert.Bind(4, p.LastEventAtMs);
                insert.Bind(5, p.Doc);
                insert.EndRow();
            }
        }
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

    public async Task AppendMembershipAsync(Audiences.MembershipDelta delta, CancellationToken ct)
    {
        if (delta.IsEmpty) return;
        var last = Command("SELECT COALESCE(MAX(seq), 0) FROM membership_changes WHERE partition = $p", "$p");
        last.Parameters[0].Value = _partition;
        var seq = (long)(await last.ExecuteScalarAsync(ct))!;
        var feed = _insertFeed ??= new RawRowsInsert(_c, "INSERT INTO membership_changes (partition, seq, account_id, profile_id, changes, at, position)", 7, RawRowsPerInsert);
        var i = 0;
        while (i < delta.Entries.Count)
        {
            ct.ThrowIfCancellationRequested();
            feed.Begin(delta.Entries.Count - i);
            for (var r = feed.Rows; r > 0; r--)
            {
                var e = delta.Entries[i++];
                feed.Bind(0, _partition);
                feed.Bind(1, ++seq);
                feed.Bind(2, e.AccountId);
                feed.Bind(3, e.ProfileId);
                feed.Bind(4, e.Changes);
                feed.Bind(5, e.AtMs);
                feed.Bind(6, e.Position);
                feed.EndRow();
            }
        }
        // Changes name audiences by token (Audiences.AudienceTokens): a number, looked up here, or an id.
        var size = Command(
            """
            INSERT INTO audience_sizes (audience_id, account_id, size)
            SELECT COALESCE((SELECT audience_id FROM audience_numbers WHERE account_id = $a AND number = $n), $token), $a, $delta WHERE true
            ON CONFLICT (audience_id) DO UPDATE SET size = size + excluded.size
            """, "$token", "$n", "$a", "$delta");
        foreach (var ((account, token), change) in delta.Sizes)
        {
            if (change == 0) continue;
            Set(size, token, Audiences.AudienceTokens.TryNumber(token, out var number) ? number : -1, account, change);
            await size.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task DeleteProfileAsync(string accountId, long profileId, IReadOnlyCollection<IdentityEntry> erased, CancellationToken ct)
    {
        await IdentityJournalErasure.EraseAsync(_c, _tx, _partition, erased, ct);
        foreach (var sql in (string[])[
            "DELETE FROM profile_merges WHERE account_id = $a AND survivor_id = $id",
            "DELETE FROM profiles WHERE account_id = $a AND id = $id",
            "DELETE FROM audience_timers WHERE account_id = $a AND profile_id = $id"])
        {
            var cmd = Command(sql, "$a", "$id");
            Set(cmd, accountId, profileId);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task SaveTimersAsync(IReadOnlyDictionary<long, (string AccountId, long? DueMs)> changes, CancellationToken ct)
    {
        var due = changes.Where(c => c.Value.DueMs is not null).ToList();
        var upsert = due.Count == 0 ? null : _upsertTimers ??= new RawRowsInsert(_c, "INSERT INTO audience_timers (partition, profile_id, account_id, due)", 4, RawRowsPerInsert,
            "ON CONFLICT (partition, profile_id) DO UPDATE SET due = excluded.due");
        var i = 0;
        while (i < due.Count)
        {
            ct.ThrowIfCancellationRequested();
            upsert!.Begin(due.Count - i);
            for (var r = upsert.Rows; r > 0; r--)
            {
                var (id, (account, dueMs)) = due[i++];
                upsert.Bind(0, _partition);
                upsert.Bind(1, id);
                upsert.Bind(2, account);
                upsert.Bind(3, dueMs!.Value);
                upsert.EndRow();
            }
        }
        var delete = Command("DELETE FROM audience_timers WHERE partition = $p AND profile_id = $id", "$p", "$id");
        foreach (var (id, (_, dueMs)) in changes)
        {
            if (dueMs is not null) continue;
            Set(delete, _partition, id);
            await delete.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task ReadTimersAsync(Action<long, string, long> apply, CancellationToken ct)
    {
        var cmd = Command("SELECT profile_id, account_id, due FROM audience_timers WHERE partition = $p", "$p");
        cmd.Parameters[0].Value = _partition;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) apply(r.GetInt64(0), r.GetString(1), r.GetInt64(2));
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
        _isCommitted = true;
        _committed(_written);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cmd in _commands.Values) await cmd.DisposeAsync();
        _insertNew?.Dispose();
        _insertFeed?.Dispose();
        _upsertTimers?.Dispose();
        if (!_isCommitted) await _tx.RollbackAsync();
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
