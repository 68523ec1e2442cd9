using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using Sluice.EventLog;
using Sluice.Import;

namespace Sluice.Storage.Sqlite;

/// <summary>
/// The event log on SQLite. Appends come from the single log writer, so positions (rowids) are handed out in
/// commit order and a reader that sees position N has every position below N too.
/// </summary>
internal sealed partial class SqliteEventLog([FromKeyedServices(SqliteDatabase.LogKey)] SqliteDatabase db) : IEventLog, IAsyncDisposable
{
    private readonly SemaphoreSlim _appendGate = new(1, 1);
    private Appender? _appender;

    public Task<long[]> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken ct) => AppendAsync(events, [], ct);

    public async Task<long[]> AppendAsync(IReadOnlyList<NewEvent> events, IReadOnlyList<ImportCheckpoint> checkpoints, CancellationToken ct)
    {
        await _appendGate.WaitAsync(ct);
        try
        {
            _appender ??= Appender.Open(db);
            return await _appender.AppendAsync(events, checkpoints, ct);
        }
        catch
        {
            // A failed transaction may leave the connection unusable; the next append opens a fresh one.
            _appender?.Dispose();
            _appender = null;
            throw;
        }
        finally
        {
            _appendGate.Release();
        }
    }

    public async Task<IReadOnlyList<LoggedEvent>> ReadAsync(int partition, long afterSeq, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText =
            """
            SELECT seq, account_id, partition, stream, event_time, received_at, body FROM events
            WHERE partition = $partition AND seq > $after ORDER BY seq LIMIT $limit
            """;
        cmd.Parameters.AddWithValue("$partition", partition);
        cmd.Parameters.AddWithValue("$after", afterSeq);
        cmd.Parameters.AddWithValue("$limit", limit);
        var list = new List<LoggedEvent>(Math.Min(limit, 1024));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new LoggedEvent(r.GetInt64(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5), (byte[])r.GetValue(6)));
        }
        return list;
    }

    public async Task<long> HeadAsync(int partition, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long?>("SELECT MAX(seq) FROM events WHERE partition = @partition", new { partition }) ?? 0;
    }

    /// <summary>
    /// An account's events, through the index on its number in this file (migration Log 0005). An account that never
    /// appended has no number, and the subquery's NULL matches nothing.
    /// </summary>
    private const string OfAccount = "account_no = (SELECT account_no FROM log_accounts WHERE account_id = @accountId)";

    public async Task<long> CountAsync(string accountId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM events WHERE {OfAccount}", new { accountId });
    }

    public async Task<long?> ReceivedAfterAsync(int partition, long afterSeq, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long?>(
            "SELECT received_at FROM events WHERE partition = @partition AND seq > @afterSeq ORDER BY seq LIMIT 1", new { partition, afterSeq });
    }

    public async IAsyncEnumerable<LoggedEvent> ScanAccountAsync(string accountId, [EnumeratorCancellation] CancellationToken ct)
    {
        long after = 0;
        while (true)
        {
            List<LoggedEvent> page;
            await using (var c = await db.OpenAsync(ct))
            {
                await using var cmd = c.CreateCommand();
                cmd.CommandText =
                    """
                    SELECT seq, account_id, partition, stream, event_time, received_at, body FROM events
                    WHERE account_no = (SELECT account_no FROM log_accounts WHERE account_id = $a) AND seq > $after ORDER BY seq LIMIT 5000
                    """;
                cmd.Parameters.AddWithValue("$a", accountId);
                cmd.Parameters.AddWithValue("$after", after);
                page = [];
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    page.Add(new LoggedEvent(r.GetInt64(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5), (byte[])r.GetValue(6)));
                }
            }
            foreach (var e in page) yield return e;
            if (page.Count < 5000) yield break;
            after = page[^1].Seq;
        }
    }

    public async Task<int> DeleteAsync(IReadOnlyCollection<long> seqs, CancellationToken ct)
    {
        await _appendGate.WaitAsync(ct);
        try
        {
            await using var c = await db.OpenAsync(ct);
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "DELETE FROM events WHERE seq = $seq";
            var seq = cmd.Parameters.Add("$seq", SqliteType.Integer);
            // A set-aside event goes with its body.
            await using var letters = c.CreateCommand();
            letters.Transaction = tx;
            letters.CommandText = "DELETE FROM dead_letters WHERE seq = $seq";
            var letterSeq = letters.Parameters.Add("$seq", SqliteType.Integer);
            var deleted = 0;
            long highest = 0;
            foreach (var s in seqs)
            {
                seq.Value = letterSeq.Value = s;
                if (await cmd.ExecuteNonQueryAsync(ct) == 1)
                {
                    deleted++;
                    highest = Math.Max(highest, s);
                }
                await letters.ExecuteNonQueryAsync(ct);
            }
            // The positions removed stay used: the next append goes above the highest of them even if it was the newest.
            if (deleted > 0) await c.ExecuteAsync("UPDATE log_high_water SET seq = max(seq, @highest) WHERE id = 1", new { highest }, tx);
            await tx.CommitAsync(ct);
            return deleted;
        }
        finally
        {
            _appendGate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _appender?.Dispose();
        _appendGate.Dispose();
        return ValueTask.CompletedTask;
    }
}
