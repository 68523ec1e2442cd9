using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Api;
using Sluice.Auth;
using Sluice.Query.FilterQl;

namespace Sluice.Audiences.Api;

/// <summary>
/// Statements that are not saved: <c>validate</c> (the canonical form and the fields read, or the error's position),
/// <c>_test</c> (one JSON entity at a given instant) and <c>size</c> (the account's stored profiles). INCLUDEs resolve
/// against the account's saved audiences.
/// </summary>
internal static class SegmentQueryApi
{
    public static RouteGroupBuilder MapSegmentQueries(this RouteGroupBuilder group)
    {
        group.MapPost("/validate", ValidateAsync).RequireToken(Role.Observer);
        group.MapPost("/_test", TestAsync).RequireToken(Role.Observer);
        group.MapPost("/size", SizeAsync).RequireToken(Role.Observer);
        return group;
    }

    private static async Task<IResult> ValidateAsync(HttpContext http, AudienceRegistry registry, IAudienceStore store)
    {
        var (text, error) = await SegmentStatementBody.ReadAsync(http.Request);
        if (text is null) return error!;
        CompiledFilter filter;
        try
        {
            filter = AudienceDefinitionCheck.CompileUnsaved(text, await SegmentApi.ListAudiencesAsync(http, registry, store));
        }
        catch (FilterQlException e)
        {
            return SegmentApi.Invalid(e);
        }
        return ApiResults.Ok(new JsonObject
        {
            ["segment_ql"] = filter.Statement.ToString(),
            ["table"] = filter.Statement.From,
            ["alias"] = filter.Alias,
            ["fields"] = Names(filter.Fields),
            ["includes"] = Names(filter.Includes),
            ["time_relative"] = filter.IsTimeRelative,
        });
    }

    private static async Task<IResult> TestAsync(HttpContext http, AudienceRegistry registry, IAudienceStore store, TimeProvider time)
    {
        var (json, error) = await RequestBody.ReadObjectAsync(http.Request, SegmentApi.MaxBodyBytes);
        if (json is null) return error!;
        using (json)
        {
            var body = json.RootElement;
            if (!body.TryGetProperty("segment_ql", out var ql) || ql.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(ql.GetString()))
            {
                return ApiResults.Error(400, "segment_ql is required: a string holding the FilterQL statement");
            }
            if (!body.TryGetProperty("entity", out var entity) || entity.ValueKind != JsonValueKind.Object)
            {
                return ApiResults.Error(400, "entity is required: a JSON object with the profile's fields");
            }
            var now = time.GetUtcNow();
            if (body.TryGetProperty("now", out var nowValue) && nowValue.ValueKind != JsonValueKind.Null)
            {
                if (ParseInstant(nowValue) is not { } given)
                {
                    return ApiResults.Error(400, "now must be an ISO-8601 date and time, such as \"2026-03-01T12:00:00Z\"");
                }
                now = given;
            }
            CompiledFilter filter;
            try
            {
                filter = AudienceDefinitionCheck.CompileUnsaved(ql.GetString()!, await SegmentApi.ListAudiencesAsync(http, registry, store));
            }
            catch (FilterQlException e)
            {
                return SegmentApi.Invalid(e);
            }
            return ApiResults.Ok(new JsonObject
            {
                ["matches"] = filter.Matches(FilterEntity.FromJson(entity), now),
                ["now"] = ApiJson.Time(now),
            });
        }
    }

    private static async Task<IResult> SizeAsync(HttpContext http, AudienceRegistry registry, IAudienceStore store, AudienceSizer sizer)
    {
        var (text, error) = await SegmentStatementBody.ReadAsync(http.Request);
        if (text is null) return error!;
        CompiledFilter filter;
        try
        {
            filter = AudienceDefinitionCheck.CompileUnsaved(text, await SegmentApi.ListAudiencesAsync(http, registry, store));
        }
        catch (FilterQlException e)
        {
            return SegmentApi.Invalid(e);
        }
        var (size, scanned, asOf) = await sizer.CountAsync(http.Caller().Account.Id, filter, http.RequestAborted);
        return ApiResults.Ok(new JsonObject
        {
            ["segment_ql"] = filter.Statement.ToString(),
            ["size"] = size,
            ["profiles_scanned"] = scanned,
            ["as_of"] = ApiJson.Time(asOf),
        });
    }

    /// <summary>An ISO-8601 instant; one without an offset is taken as UTC.</summary>
    internal static DateTimeOffset? ParseInstant(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String || !value.TryGetDateTimeOffset(out _)) return null;
        return DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;
    }

    private static JsonArray Names(IEnumerable<string> names) => new([.. names.Order(StringComparer.Ordinal).Select(n => (JsonNode)n)]);
}
