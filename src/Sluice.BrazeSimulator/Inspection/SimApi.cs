using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sluice.BrazeSimulator.Hosting;
using Sluice.BrazeSimulator.Segments;

namespace Sluice.BrazeSimulator.Inspection;

/// <summary>The simulator's own endpoints under <c>/sim</c>: inspection, reset and fault control. They need no key
/// and are never rate limited or faulted.</summary>
internal static class SimApi
{
    public static RouteGroupBuilder MapSimApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/sim");
        group.MapGet("/users/{externalId}", GetUser);
        group.MapGet("/users", FindUsers);
        group.MapGet("/requests", (SimulatorState state, int? limit) =>
            TypedResults.Ok(new { requests = state.Log.Latest(Math.Clamp(limit ?? 100, 1, 100_000)) }));
        group.MapGet("/stats", (SimulatorState state) => TypedResults.Ok(state.Stats.Snapshot(state.Store.Count)));
        group.MapPost("/reset", (SimulatorState state) =>
        {
            state.Reset();
            return TypedResults.NoContent();
        });
        group.MapGet("/faults", (SimulatorState state) => TypedResults.Ok(state.Faults.Current));
        group.MapPost("/faults", SetFaults);
        return group;
    }

    private static Results<Ok<JsonObject>, NotFound<ErrorBody>> GetUser(string externalId, SimulatorState state)
    {
        var user = state.Store.Read(externalId, UserView.ToJson);
        return user is null
            ? TypedResults.NotFound(new ErrorBody($"No user with external_id '{externalId}'."))
            : TypedResults.Ok(user);
    }

    private static Ok<JsonObject> FindUsers(SimulatorState state, string? attribute, string? contains, string? equals, int? limit)
    {
        var filter = new SegmentFilter(attribute, contains, equals);
        var take = Math.Clamp(limit ?? 100, 1, 100_000);
        var users = new JsonArray();
        var count = state.Store.Query(filter.Matches, _ => 1).Count();

        foreach (var view in state.Store.Query(filter.Matches, UserView.ToJson).Take(take))
        {
            users.Add(view);
        }

        return TypedResults.Ok(new JsonObject { ["count"] = count, ["users"] = users });
    }

    private static Results<Ok<FaultSettings>, BadRequest<ErrorBody>> SetFaults(FaultSettings settings, SimulatorState state)
    {
        try
        {
            state.Faults.Set(settings);
            return TypedResults.Ok(settings);
        }
        catch (ArgumentException ex)
        {
            return TypedResults.BadRequest(new ErrorBody(ex.Message));
        }
    }
}

/// <summary>Error body of the simulator's own endpoints.</summary>
internal sealed record ErrorBody(string Error);
