using System.Globalization;
using Sluice.Api;
using Sluice.Auth;
using Sluice.EventLog;
using Sluice.Processing.Lag;
using Sluice.Storage;

namespace Sluice.Mapping;

/// <summary>
/// <c>GET /api/schema/_streams/{stream}/lag?hours=</c>: the lag from collect to profile of one stream of the caller's
/// account, per minute, as processing recorded it (the console's stream chart, as JSON). Minutes in which no event of
/// the stream was applied are absent. A stream the account has neither a mapping nor events for is a 404.
/// </summary>
internal static class StreamLagApi
{
    /// <summary>Processing keeps a little over a day of minutes (<see cref="StreamLagRecorder.Retention"/>).</summary>
    private const int MaxHours = 24;

    public static RouteGroupBuilder MapStreamLag(this RouteGroupBuilder schema)
    {
        schema.MapGet("/_streams/{stream}/lag", LagAsync);
        return schema;
    }

    private static async Task<IResult> LagAsync(
        HttpContext http, string stream, string? hours, IStreamLagStore lag, MappingRegistry registry, IStreamCatalog catalog, TimeProvider time)
    {
        var span = MaxHours;
        if (!string.IsNullOrEmpty(hours) && (!int.TryParse(hours, NumberStyles.None, CultureInfo.InvariantCulture, out span) || span is < 1 or > MaxHours))
        {
            return ApiResults.Error(400, $"hours must be a whole number from 1 to {MaxHours}");
        }
        var account = http.Caller().Account;
        var ct = http.RequestAborted;
        var to = time.GetUtcNow();
        var from = to.AddHours(-span);
        var minutes = await lag.MinutesAsync(account.Id, stream, from, ct);
        if (minutes.Count == 0 && !await KnownAsync(account.Id, stream, registry, catalog, ct))
        {
            return ApiResults.Error(404, $"no stream \"{stream}\": the account has no mapping for it and no events on it");
        }
        return ApiResults.Ok(new StreamLag(stream, ApiJson.Time(from), ApiJson.Time(to),
            [.. minutes.Select(m => new LagMinute(ApiJson.Time(UnixMs.To(m.MinuteMs)), m.Events, m.MaxMs, m.P95Ms))]));
    }

    /// <summary>A stream as <c>/api/schema/_streams</c> lists them: one with a mapping or with events in the log.</summary>
    private static async Task<bool> KnownAsync(string accountId, string stream, MappingRegistry registry, IStreamCatalog catalog, CancellationToken ct) =>
        (await registry.ListAsync(accountId, ct)).Any(m => m.Mapping.Stream == stream) ||
        (await catalog.RecentAsync(accountId, stream, 1, ct)).Count > 0;

    private sealed record StreamLag(string Stream, string From, string To, IReadOnlyList<LagMinute> Minutes);

    /// <summary>One minute (its start): the events applied in it, the longest lag and the 95th percentile, in ms.</summary>
    private sealed record LagMinute(string Minute, long Events, long MaxMs, long P95Ms);
}
