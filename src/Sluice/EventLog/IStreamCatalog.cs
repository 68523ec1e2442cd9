namespace Sluice.EventLog;

/// <summary>What the console shows of an account's streams: counts and times per stream, and the newest events.</summary>
internal interface IStreamCatalog
{
    /// <summary>Each stream of the account that has events in the log, with their number and the newest receipt.</summary>
    Task<IReadOnlyList<StreamSummary>> StreamsAsync(string accountId, CancellationToken ct);

    /// <summary>The newest events of one stream, newest first.</summary>
    Task<IReadOnlyList<LoggedEvent>> RecentAsync(string accountId, string stream, int limit, CancellationToken ct);

    /// <summary>The newest events of the account on every stream, newest first.</summary>
    Task<IReadOnlyList<LoggedEvent>> LatestAsync(string accountId, int limit, CancellationToken ct);

    /// <summary>
    /// Events of one stream received per minute from <paramref name="since"/>, oldest first, counted over at most the
    /// stream's newest <paramref name="maxEvents"/> events (a bound on the work of one page view); empty minutes left out.
    /// </summary>
    Task<IReadOnlyList<(DateTimeOffset Minute, long Events)>> MinutesAsync(string accountId, string stream, DateTimeOffset since, int maxEvents, CancellationToken ct);
}

internal sealed record StreamSummary(string Stream, long Events, long LastReceivedMs);
