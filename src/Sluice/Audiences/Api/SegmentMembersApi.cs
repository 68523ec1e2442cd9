using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Api;
using Sluice.Auth;
using Sluice.Processing;
using Sluice.Profiles;
using Sluice.Query.FilterQl;

namespace Sluice.Audiences.Api;

/// <summary>
/// An audience's members (<c>scan</c>, paged in profile id order with Lytics' <c>_next</c> and <c>total</c>), the
/// profiles an unsaved statement matches (<c>POST scan</c>, the same paging), and an audience's enter and exit
/// changes (<c>history</c>). Members are those of the last checkpoint; each is rendered as the profile API renders
/// it, read through its partition so that it shows every applied event.
/// </summary>
internal static class SegmentMembersApi
{
    private const int DefaultScanLimit = 20;
    private const int MaxLimit = 1000;
    private const int DefaultHistoryLimit = 100;

    public static RouteGroupBuilder MapSegmentMembers(this RouteGroupBuilder group)
    {
        group.MapGet("/{idOrSlug}/scan", ScanAsync).RequireToken(Role.Observer);
        group.MapPost("/scan", AdHocScanAsync).RequireToken(Role.Observer);
        group.MapGet("/{idOrSlug}/history", HistoryAsync).RequireToken(Role.Observer);
        return group;
    }

    private static async Task<IResult> ScanAsync(
        HttpContext http, string idOrSlug, string? start, string? limit, AudienceRegistry registry, IAudienceStore store, Partitioner partitioner, IGrainFactory grains)
    {
        if (ParseLimit(limit, DefaultScanLimit) is not { } take) return BadLimit();
        long after = 0;
        if (!string.IsNullOrEmpty(start) && !long.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            return ApiResults.Error(400, "start is not a cursor of this scan: pass the _next of the previous page, or nothing for the first");
        }
        var audience = await SegmentApi.FindAsync(http, idOrSlug, registry, store);
        if (audience is null) return SegmentApi.NotFound(idOrSlug);
        var account = http.Caller().Account;
        var ct = http.RequestAborted;

        // One more than asked tells whether there is a next page.
        var ids = await store.MembersAsync(account.Id, audience.Id, after, take + 1, ct);
        var page = ids.Take(take).ToList();
        var next = ids.Count > take ? page[^1].ToString(CultureInfo.InvariantCulture) : null;
        return await PageAsync(http, page, next, await store.SizeAsync(account.Id, audience.Id, ct), store, partitioner, grains);
    }

    /// <summary>
    /// The profiles an unsaved statement (the body, as <c>validate</c> takes it) matches, in profile id order. Each
    /// request reads at most <see cref="AdHocScanBudget"/> stored profiles, so a page may hold fewer than
    /// <c>limit</c> while <c>_next</c> still says there is more. <c>total</c> is counted on the first page (which reads
    /// every stored profile once, as <c>POST /api/segment/size</c> does) and carried in the cursor, so later pages
    /// keep to the budget.
    /// </summary>
    private static async Task<IResult> AdHocScanAsync(
        HttpContext http, string? start, string? limit, AudienceRegistry registry, IAudienceStore store, AudienceSizer sizer,
        IProfileStore profiles, Partitioner partitioner, IGrainFactory grains, TimeProvider time)
    {
        if (ParseLimit(limit, DefaultScanLimit) is not { } take) return BadLimit();
        var (text, error) = await SegmentStatementBody.ReadAsync(http.Request);
        if (text is null) return error!;
        long after = 0, total = -1;
        if (!string.IsNullOrEmpty(start) && !AdHocCursor.TryParse(start, out after, out total))
        {
            return ApiResults.Error(400, "start is not a cursor of this scan: pass the _next of the previous page, or nothing for the first");
        }
        CompiledFilter filter;
        try
        {
            filter = AudienceDefinitionCheck.CompileUnsaved(text, await SegmentApi.ListAudiencesAsync(http, registry, store));
        }
        catch (FilterQlException e)
        {
            return SegmentApi.Invalid(e);
        }
        var account = http.Caller().Account;
        var ct = http.RequestAborted;
        if (total < 0) total = (await sizer.CountAsync(account.Id, filter, ct)).Size;

        var now = time.GetUtcNow();
        var matched = new List<long>();
        var scanned = 0;
        var exhausted = false;
        while (matched.Count < take && scanned < AdHocScanBudget && !exhausted)
        {
            var want = Math.Min(1000, AdHocScanBudget - scanned);
            var rows = await profiles.ScanAsync(account.Id, after, want, ct);
            var used = 0;
            foreach (var row in rows)
            {
                used++;
                after = row.Id;
                var doc = ProfileDocument.Deserialize(row.Doc);
                if (filter.Matches(new ProfileEntity(doc, row.CreatedAtMs, row.ModifiedAtMs, row.LastEventAtMs), now)) matched.Add(row.Id);
                if (matched.Count == take) break;
            }
            scanned += used;
            exhausted = used == rows.Count && rows.Count < want;
        }
        var next = exhausted ? null : AdHocCursor.Format(after, total);
        return await PageAsync(http, matched, next, total, store, partitioner, grains);
    }

    /// <summary>Profiles one ad-hoc scan request reads at most, so that one request cannot hold a node for long.</summary>
    private const int AdHocScanBudget = 20_000;

    private static async Task<IResult> PageAsync(
        HttpContext http, IReadOnlyList<long> page, string? next, long total, IAudienceStore store, Partitioner partitioner, IGrainFactory grains)
    {
        var account = http.Caller().Account;
        var ct = http.RequestAborted;
        var partition = grains.GetGrain<IPartitionGrain>(partitioner.For(account.Id));
        var snapshots = await Task.WhenAll(page.Select(id => partition.GetProfileAsync(account.Id, id)));
        var segments = await ProfileSegments.ForAccountAsync(store, account.Id, ct);
        var data = new JsonArray();
        var seen = new HashSet<long>();
        foreach (var snapshot in snapshots)
        {
            // Gone since the checkpoint, or merged into a profile already on the page.
            if (snapshot is null || !seen.Add(snapshot.Id)) continue;
            var profile = snapshot.ToProfile();
            var view = ProfileView.Render(profile, null);
            view["segments"] = segments(profile.Document);
            data.Add(view);
        }
        return Results.Json(new JsonObject
        {
            ["status"] = 200,
            ["message"] = "success",
            ["_next"] = next,
            ["total"] = total,
            ["data"] = data,
        }, ApiJson.Options);
    }

    private static async Task<IResult> HistoryAsync(HttpContext http, string idOrSlug, string? limit, AudienceRegistry registry, IAudienceStore store)
    {
        if (ParseLimit(limit, DefaultHistoryLimit) is not { } take) return BadLimit();
        var audience = await SegmentApi.FindAsync(http, idOrSlug, registry, store);
        if (audience is null) return SegmentApi.NotFound(idOrSlug);
        var changes = await store.HistoryAsync(http.Caller().Account.Id, audience.Id, take, http.RequestAborted);
        return ApiResults.Ok(new JsonArray([.. changes.Select(c => (JsonNode)new JsonObject
        {
            ["profile_id"] = c.ProfileId,
            ["change"] = c.Entered ? "entered" : "exited",
            ["time"] = ApiJson.Time(DateTimeOffset.FromUnixTimeMilliseconds(c.AtMs)),
            ["partition"] = c.Partition,
            ["seq"] = c.Seq,
        })]));
    }

    /// <summary>The limit asked for, capped at <see cref="MaxLimit"/>; null when it is not a positive number.</summary>
    private static int? ParseLimit(string? limit, int fallback)
    {
        if (string.IsNullOrEmpty(limit)) return fallback;
        return int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? Math.Min(n, MaxLimit) : null;
    }

    private static IResult BadLimit() => ApiResults.Error(400, $"limit must be a whole number from 1 to {MaxLimit}");
}
