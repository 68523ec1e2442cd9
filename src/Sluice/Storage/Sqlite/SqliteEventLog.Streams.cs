using Dapper;
using Sluice.EventLog;

namespace Sluice.Storage.Sqlite;

/// <summary>
/// Stream summaries for the console, read from the log itself (there is no separate counter to keep in step). The
/// count walks the account's index; fine for the console's occasional look, not for a hot path.
/// </summary>
internal sealed partial class SqliteEventLog : IStreamCatalog
{
    public async Task<IReadOnlyList<StreamSummary>> StreamsAsync(string accountId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Stream, long Events, long Last)>(
            $"SELECT stream, COUNT(*), MAX(received_at) FROM events WHERE {OfAccount} GROUP BY stream ORDER BY stream",
            new { accountId });
        return [.. rows.Select(r => new StreamSummary(r.Stream, r.Events, r.Last))];
    }

    public async Task<IReadOnlyList<LoggedEvent>> RecentAsync(string accountId, string stream, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(long Seq, string AccountId, long Partition, string Stream, long EventTime, long ReceivedAt, byte[] Body)>(
            $"""
            SELECT seq, account_id, partition, stream, event_time, received_at, body FROM events
            WHERE {OfAccount} AND stream = @stream ORDER BY seq DESC LIMIT @limit
            """, new { accountId, stream, limit });
        return [.. rows.Select(r => new LoggedEvent(r.Seq, r.AccountId, (int)r.Partition, r.Stream, r.EventTime, r.ReceivedAt, r.Body))];
    }

    public async Task<IReadOnlyList<(DateTimeOffset Minute, long Events)>> MinutesAsync(
        string accountId, string stream, DateTimeOffset since, int maxEvents, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        // Newest first over the account's (account_no, seq) index, which follows receipt order, and bounded by maxEvents.
        var rows = await c.QueryAsync<(long Minute, long Events)>(
            $"""
            SELECT received_at / 60000 AS minute, COUNT(*) FROM (
                SELECT received_at FROM events WHERE {OfAccount} AND stream = @stream ORDER BY seq DESC LIMIT @maxEvents)
            WHERE received_at >= @since GROUP BY minute ORDER BY minute
            """, new { accountId, stream, since = UnixMs.From(since), maxEvents });
        return [.. rows.Select(r => (UnixMs.To(r.Minute * 60_000), r.Events))];
    }

    public async Task<IReadOnlyList<LoggedEvent>> LatestAsync(string accountId, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(long Seq, string AccountId, long Partition, string Stream, long EventTime, long ReceivedAt, byte[] Body)>(
            $"""
            SELECT seq, account_id, partition, stream, event_time, received_at, body FROM events
            WHERE {OfAccount} ORDER BY seq DESC LIMIT @limit
            """, new { accountId, limit });
        return [.. rows.Select(r => new LoggedEvent(r.Seq, r.AccountId, (int)r.Partition, r.Stream, r.EventTime, r.ReceivedAt, r.Body))];
    }
}
