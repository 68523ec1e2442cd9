using Sluice.Processing.Lag;

namespace Sluice.Storage.Sqlite;

/// <summary>A checkpoint's stream lag minutes, written in its transaction (one upsert per stream and minute).</summary>
internal sealed partial class SqliteProfileBatch
{
    public async Task SaveStreamLagAsync(IReadOnlyList<StreamLagMinute> minutes, long? pruneBeforeMs, CancellationToken ct)
    {
        if (minutes.Count > 0)
        {
            var upsert = Command(
                """
                INSERT INTO stream_lag (account_id, stream, minute, events, max_ms, p95_ms) VALUES ($a, $s, $m, $n, $max, $p95)
                ON CONFLICT (account_id, stream, minute) DO UPDATE SET
                    events = events + excluded.events, max_ms = MAX(max_ms, excluded.max_ms), p95_ms = excluded.p95_ms
                """, "$a", "$s", "$m", "$n", "$max", "$p95");
            foreach (var m in minutes)
            {
                Set(upsert, m.AccountId, m.Stream, m.MinuteMs, m.Events, m.MaxMs, m.P95Ms);
                await upsert.ExecuteNonQueryAsync(ct);
            }
        }
        if (pruneBeforeMs is { } before)
        {
            var prune = Command("DELETE FROM stream_lag WHERE minute < $before", "$before");
            Set(prune, before);
            await prune.ExecuteNonQueryAsync(ct);
        }
    }
}
