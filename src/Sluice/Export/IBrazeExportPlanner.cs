using System.Text.Json.Nodes;
using Sluice.Export.Braze;

namespace Sluice.Export;

/// <summary>A dry run of a <c>braze-export-audience</c> config: the first requests a backfill would send, and counts, without sending.</summary>
internal interface IBrazeExportPlanner
{
    Task<BrazeDryRun> DryRunAsync(string accountId, BrazeExportConfig config, int maxRequests, CancellationToken ct);
}

/// <summary>The requests (each a <c>/users/track</c> body) and how many users and requests the whole backfill would take.</summary>
internal sealed record BrazeDryRun(IReadOnlyList<JsonObject> Requests, long Users, long RequestsTotal, long SkippedNoId);
