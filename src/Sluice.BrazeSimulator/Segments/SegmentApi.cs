using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sluice.BrazeSimulator.Hosting;
using Sluice.BrazeSimulator.Inspection;

namespace Sluice.BrazeSimulator.Segments;

/// <summary>Segments and the dashboard's "Export User Data" CSV, streamed so a 500k-user export never sits in memory.</summary>
internal static class SegmentApi
{
    public static RouteGroupBuilder MapSegmentApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/sim/segments");
        group.MapGet("/", (SegmentRegistry segments) => TypedResults.Ok(segments.All));
        group.MapPost("/", Define);
        group.MapGet("/{name}/export.csv", Export);
        return group;
    }

    private static Results<Created<SegmentDefinition>, BadRequest<ErrorBody>> Define(SegmentDefinition definition, SegmentRegistry segments)
    {
        if (string.IsNullOrWhiteSpace(definition.Name))
        {
            return TypedResults.BadRequest(new ErrorBody("A segment needs a name."));
        }

        segments.Define(definition.Name, new SegmentFilter(definition.Attribute, definition.Contains, definition.EqualTo));
        return TypedResults.Created($"/sim/segments/{Uri.EscapeDataString(definition.Name)}", definition);
    }

    /// <summary><c>?type=emails</c> gives the "Email Addresses" export (users with an email only);
    /// <c>?custom=a,b</c> adds custom attribute columns to the "User Data" export.</summary>
    private static Results<FileStreamHttpResult, PushStreamHttpResult, NotFound<ErrorBody>> Export(
        string name, string? type, string? custom, SegmentRegistry segments, SimulatorState state)
    {
        var filter = segments.Find(name);
        if (filter is null)
        {
            return TypedResults.NotFound(new ErrorBody($"No segment named '{name}'. Define it with POST /sim/segments."));
        }

        var emailsOnly = string.Equals(type, "emails", StringComparison.OrdinalIgnoreCase);
        var customColumns = (custom ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var fileName = $"users-{name}.csv";
        return TypedResults.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024);
            if (emailsOnly)
            {
                await CsvFields.WriteRecordAsync(writer, ExportColumns.EmailAddresses);
                foreach (var row in state.Store.Query(u => u.Email is not null && filter.Matches(u), ExportColumns.EmailRow))
                {
                    await CsvFields.WriteRecordAsync(writer, row);
                }
            }
            else
            {
                await CsvFields.WriteRecordAsync(writer, ExportColumns.UserDataHeader(state.Options.ExportIdHeader, customColumns));
                foreach (var row in state.Store.Query(filter.Matches, u => ExportColumns.UserDataRow(u, customColumns)))
                {
                    await CsvFields.WriteRecordAsync(writer, row);
                }
            }
        }, "text/csv; charset=utf-8", fileName);
    }
}
