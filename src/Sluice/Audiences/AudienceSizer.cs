using Sluice.Profiles;
using Sluice.Query.FilterQl;

namespace Sluice.Audiences;

/// <summary>
/// The size of a definition that is not saved: every stored profile of the account evaluated against it, page by
/// page. It reads the store, so it counts profiles as of their partition's last checkpoint (a few seconds behind
/// the newest events under load, and never more than the checkpoint interval).
/// </summary>
internal sealed class AudienceSizer(IProfileStore profiles, TimeProvider time)
{
    private const int Page = 1000;

    public async Task<(long Size, long Scanned, DateTimeOffset AsOf)> CountAsync(string accountId, CompiledFilter filter, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        long size = 0, scanned = 0, after = 0;
        while (true)
        {
            var page = await profiles.ScanAsync(accountId, after, Page, ct);
            foreach (var row in page)
            {
                var doc = ProfileDocument.Deserialize(row.Doc);
                if (filter.Matches(new ProfileEntity(doc, row.CreatedAtMs, row.ModifiedAtMs, row.LastEventAtMs), now)) size++;
            }
            scanned += page.Count;
            if (page.Count < Page) return (size, scanned, now);
            after = page[^1].Id;
        }
    }
}
