using System.Globalization;
using Sluice.Api;
using Sluice.Auth;

namespace Sluice.Processing.DeadLetters;

/// <summary>
/// <c>GET /api/stream/_deadletter</c>: the account's set-aside events (position, stream, stage, reason), paged by
/// position. <c>POST /api/stream/_deadletter/_replay</c>: moves them (all, or <c>?seq=</c> ones) to the end of the
/// log so that processing takes them again, e.g. after a mapping was fixed.
/// </summary>
internal static class DeadLetterApi
{
    private const int MaxPage = 1000;

    public static IEndpointRouteBuilder MapDeadLetters(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/stream/_deadletter").RequireToken(Role.DataManager).WithTags("Dead letters");
        group.MapGet("/", ListAsync);
        group.MapPost("/_replay", ReplayAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, IDeadLetterStore store)
    {
        var q = http.Request.Query;
        if (!TryLong(q["after"], 0, out var after)) return ApiResults.Error(400, "after must be a log position (a whole number)");
        if (!TryLong(q["limit"], 100, out var limit) || limit is < 1 or > MaxPage) return ApiResults.Error(400, $"limit must be between 1 and {MaxPage}");
        var account = http.Caller().Account;
        var letters = await store.ListAsync(account.Id, after, (int)limit, http.RequestAborted);
        return ApiResults.Ok(new
        {
            total = await store.CountSetAsideAsync(account.Id, http.RequestAborted),
            events = letters.Select(d => new
            {
                seq = d.Seq,
                stream = d.Stream,
                stage = d.Stage,
                reason = d.Reason,
                at = ApiJson.Time(DateTimeOffset.FromUnixTimeMilliseconds(d.AtMs)),
            }),
            next = letters.Count == limit ? letters[^1].Seq : (long?)null,
        });
    }

    private static async Task<IResult> ReplayAsync(HttpContext http, IDeadLetterStore store, IGrainFactory grains)
    {
        List<long>? seqs = null;
        foreach (var text in http.Request.Query["seq"])
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)) return ApiResults.Error(400, $"seq \"{text}\" is not a log position");
            (seqs ??= []).Add(seq);
        }
        var (replayed, partitions) = await store.ReplayAsync(http.Caller().Account.Id, seqs, http.RequestAborted);
        foreach (var p in partitions) await grains.GetGrain<IPartitionGrain>(p).NotifyAsync(0);
        return ApiResults.Ok(new { replayed });
    }

    private static bool TryLong(string? text, long fallback, out long value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
