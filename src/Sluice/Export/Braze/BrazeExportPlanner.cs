using System.Text.Json.Nodes;
using Sluice.Audiences;
using Sluice.Profiles;

namespace Sluice.Export.Braze;

/// <summary>
/// A dry run of a job's backfill over the account's stored profiles (as of their last checkpoint): the first requests
/// it would send and how many users and requests it would take. Nothing is sent and nothing is remembered.
/// </summary>
internal sealed class BrazeExportPlanner(IAudienceStore audiences, IProfileStore profiles) : IBrazeExportPlanner
{
    private const int Page = 5000;

    public async Task<BrazeDryRun> DryRunAsync(string accountId, BrazeExportConfig config, int maxRequests, CancellationToken ct)
    {
        var valueByAudience = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in config.SegmentIds)
        {
            if (await audiences.FindAsync(accountId, id, ct) is { } a) (valueByAudience[a.Id], valueByAudience[a.Token]) = (config.SlugPrefix + a.Slug, config.SlugPrefix + a.Slug);
        }
        var first = new List<JsonObject>(maxRequests * config.BatchSize);
        long users = 0, skipped = 0, after = 0;
        while (true)
        {
            var page = await profiles.ScanAsync(accountId, after, Page, ct);
            foreach (var row in page)
            {
                if (!ProfileDocumentBinary.ReadAudiences(row.Doc).Any(valueByAudience.ContainsKey)) continue;
                var desired = DesiredState.Of(ProfileDocument.Deserialize(row.Doc), config, valueByAudience);
                var delta = UserDelta.Compute(null, desired.Identifier, desired.Values, desired.Fields);
                if (delta.SkippedNoId) skipped++;
                foreach (var o in delta.Objects)
                {
                    users++;
                    if (first.Count < maxRequests * config.BatchSize) first.Add(o.ToJson(config));
                }
            }
            if (page.Count < Page) break;
            after = page[^1].Id;
        }
        var requests = first.Chunk(config.BatchSize).Select(batch => new JsonObject { ["attributes"] = new JsonArray([.. batch]) }).ToList();
        return new BrazeDryRun(requests, users, (users + config.BatchSize - 1) / config.BatchSize, skipped);
    }
}
