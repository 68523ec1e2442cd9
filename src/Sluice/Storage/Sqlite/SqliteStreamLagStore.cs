using Dapper;
using Sluice.Processing.Lag;

namespace Sluice.Storage.Sqlite;

internal sealed class SqliteStreamLagStore(SqliteDatabase db) : IStreamLagStore
{
    public async Task<IReadOnlyList<StreamLagMinute>> MinutesAsync(string accountId, string stream, DateTimeOffset since, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(long Minute, long Events, long MaxMs, long P95Ms)>(
            """
            SELECT minute, events, max_ms, p95_ms FROM stream_lag
            WHERE account_id = @accountId AND stream = @stream AND minute >= @since ORDER BY minute
            """, new { accountId, stream, since = UnixMs.From(since) });
        return [.. rows.Select(r => new StreamLagMinute(accountId, stream, r.Minute, r.Events, r.MaxMs, r.P95Ms))];
    }
}
