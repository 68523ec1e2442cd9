using Dapper;
using Microsoft.Data.Sqlite;
using Sluice.Processing.DeadLetters;

namespace Sluice.Storage.Sqlite;

/// <summary>
/// Set-aside events live beside the log, in the same file, so that a privacy delete removes an event and its
/// dead letter in one transaction, and a replay moves the event to the end of the log atomically. A replay takes the
/// append gate: positions must stay in commit order.
/// </summary>
internal sealed partial class SqliteEventLog : IDeadLetterStore
{
    public async Task<bool> SetAsideAsync(DeadLetter d, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(
            """
            INSERT INTO dead_letters (seq, account_id, partition, stream, stage, reason, at)
            VALUES (@Seq, @AccountId, @Partition, @Stream, @Stage, @Reason, @AtMs) ON CONFLICT (seq) DO NOTHING
            """, d) == 1;
    }

    public async Task<IReadOnlyList<long>> PositionsAsync(int partition, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return [.. await c.QueryAsync<long>("SELECT seq FROM dead_letters WHERE partition = @partition", new { partition })];
    }

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(string accountId, long afterSeq, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(long Seq, string AccountId, long Partition, string Stream, string Stage, string Reason, long At)>(
            """
            SELECT seq, account_id, partition, stream, stage, reason, at FROM dead_letters
            WHERE account_id = @accountId AND seq > @afterSeq ORDER BY seq LIMIT @limit
            """, new { accountId, afterSeq, limit });
        return [.. rows.Select(r => new DeadLetter(r.Seq, r.AccountId, (int)r.Partition, r.Stream, r.Stage, r.Reason, r.At))];
    }

    public async Task<long> CountSetAsideAsync(string accountId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dead_letters WHERE account_id = @accountId", new { accountId });
    }

    public async Task<(int Replayed, IReadOnlySet<int> Partitions)> ReplayAsync(string accountId, IReadOnlyCollection<long>? seqs, CancellationToken ct)
    {
        await _appendGate.WaitAsync(ct);
        try
        {
            await using var c = await db.OpenAsync(ct);
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
            var chosen = (await c.QueryAsync<(long Seq, long Partition)>(
                "SELECT seq, partition FROM dead_letters WHERE account_id = @accountId ORDER BY seq", new { accountId }, tx))
                .Where(r => seqs is null || seqs.Contains(r.Seq))
                .ToList();
            foreach (var (seq, _) in chosen)
            {
                // A copy at the end of the log (a new position, the same event), then the original and its letter go.
                // The new position is taken as the log writer takes its own (never one used before), since the table no
                // longer hands out positions itself.
                await c.ExecuteAsync(
                    $"""
                    INSERT INTO events (seq, account_id, account_no, partition, stream, event_time, received_at, body)
                    SELECT ({NextPositionSql}), account_id, account_no, partition, stream, event_time, received_at, body FROM events WHERE seq = @seq;
                    DELETE FROM events WHERE seq = @seq;
                    DELETE FROM dead_letters WHERE seq = @seq;
                    """, new { seq }, tx);
            }
            await tx.CommitAsync(ct);
            return (chosen.Count, chosen.Select(r => (int)r.Partition).ToHashSet());
        }
        finally
        {
            _appendGate.Release();
        }
    }
}
