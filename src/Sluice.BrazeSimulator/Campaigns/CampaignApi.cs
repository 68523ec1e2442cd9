using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sluice.BrazeSimulator.Inspection;
using Sluice.BrazeSimulator.Segments;

namespace Sluice.BrazeSimulator.Campaigns;

/// <summary><c>POST /sim/campaigns</c> starts sending at once; <c>GET /sim/campaigns/{id}</c> reports progress.</summary>
internal static class CampaignApi
{
    private static readonly string[] Methods = ["POST", "GET", "PUT", "DELETE"];

    public static RouteGroupBuilder MapCampaignApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/sim/campaigns");
        group.MapPost("/", Create);
        group.MapGet("/", (CampaignRunner runner) => TypedResults.Ok(runner.All.Select(c => c.Snapshot()).ToArray()));
        group.MapGet("/{id}", Results<Ok<CampaignStatus>, NotFound<ErrorBody>> (string id, CampaignRunner runner) =>
            runner.Find(id) is { } campaign
                ? TypedResults.Ok(campaign.Snapshot())
                : TypedResults.NotFound(new ErrorBody($"No campaign '{id}'.")));
        return group;
    }

    private static Results<Accepted<CampaignStatus>, BadRequest<ErrorBody>> Create(
        CampaignRequest request, CampaignRunner runner, SegmentRegistry segments)
    {
        var method = (request.Method ?? "POST").ToUpperInvariant();
        if (!Methods.Contains(method, StringComparer.Ordinal))
        {
            return TypedResults.BadRequest(new ErrorBody("method must be POST, GET, PUT or DELETE."));
        }

        if (string.IsNullOrWhiteSpace(request.Url))
        {
            return TypedResults.BadRequest(new ErrorBody("A webhook campaign needs a url."));
        }

        var segmentName = request.Segment ?? SegmentRegistry.AllUsers;
        if (segments.Find(segmentName) is not { } filter)
        {
            return TypedResults.BadRequest(new ErrorBody($"No segment named '{segmentName}'. Define it with POST /sim/segments."));
        }

        if (request.RatePerMinute is < 0)
        {
            return TypedResults.BadRequest(new ErrorBody("rate_per_minute must not be negative."));
        }

        CompiledCampaign compiled;
        try
        {
            compiled = new CompiledCampaign(
                request.Name ?? "webhook campaign",
                new HttpMethod(method),
                LiquidTemplate.Parse(request.Url),
                (request.Headers ?? []).ToDictionary(h => h.Key, h => LiquidTemplate.Parse(h.Value), StringComparer.OrdinalIgnoreCase),
                request.Body is null ? null : LiquidTemplate.Parse(request.Body),
                request.RatePerMinute ?? 0);
        }
        catch (FormatException ex)
        {
            return TypedResults.BadRequest(new ErrorBody("Template error: " + ex.Message));
        }

        var campaign = runner.Start(compiled, filter);
        return TypedResults.Accepted($"/sim/campaigns/{campaign.Id}", campaign.Snapshot());
    }
}
