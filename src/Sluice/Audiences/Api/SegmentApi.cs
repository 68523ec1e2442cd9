using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Accounts;
using Sluice.Api;
using Sluice.Auth;
using Sluice.Query.FilterQl;

namespace Sluice.Audiences.Api;

/// <summary>
/// Audiences as Lytics' <c>/api/segment</c>: list, create, read, change and delete by id or slug. Writes need the
/// audience_manager role, reads any token of the account. The other routes under <c>/api/segment</c> are in
/// <see cref="SegmentQueryApi"/> (ad-hoc statements) and <see cref="SegmentMembersApi"/> (members and history).
/// </summary>
internal static class SegmentApi
{
    /// <summary>A segment body: a statement of at most 64 KB with room for JSON escapes and the other fields.</summary>
    internal const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapSegments(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/segment").WithTags("Segments");
        group.MapGet("/", ListAsync).RequireToken(Role.Observer);
        group.MapGet("/sizes", SizesAsync).RequireToken(Role.Observer);
        group.MapGet("/{idOrSlug}/sizes", SizeAsync).RequireToken(Role.Observer);
        group.MapPost("/", CreateAsync).RequireToken(Role.AudienceManager);
        group.MapGet("/{idOrSlug}", GetAsync).RequireToken(Role.Observer);
        group.MapPut("/{idOrSlug}", UpdateAsync).RequireToken(Role.AudienceManager);
        group.MapDelete("/{idOrSlug}", DeleteAsync).RequireToken(Role.AudienceManager);
        group.MapSegmentQueries();
        group.MapSegmentMembers();
        return app;
    }

    /// <summary>The account's audiences; the first use of an account creates its default audiences.</summary>
    internal static async Task<IReadOnlyList<Audience>> ListAudiencesAsync(HttpContext http, AudienceRegistry registry, IAudienceStore store)
    {
        var account = http.Caller().Account;
        await registry.ForAccountAsync(account.Id, http.RequestAborted);
        return await store.ListAsync(account.Id, http.RequestAborted);
    }

    /// <summary>One audience by id or slug, after making sure the account has its defaults.</summary>
    internal static async Task<Audience?> FindAsync(HttpContext http, string idOrSlug, AudienceRegistry registry, IAudienceStore store)
    {
        var account = http.Caller().Account;
        await registry.ForAccountAsync(account.Id, http.RequestAborted);
        return await store.FindAsync(account.Id, idOrSlug, http.RequestAborted);
    }

    internal static IResult NotFound(string idOrSlug) => ApiResults.Error(404, $"no segment with id or slug \"{idOrSlug}\"");

    /// <summary>A statement that cannot be used: 400 with the message, and its line and column as data.</summary>
    internal static IResult Invalid(FilterQlException e, string? context = null) =>
        ApiResults.Error(400, $"invalid FilterQL: {context}{e.Message}", new { line = e.Line, column = e.Column, reason = e.Reason });

    /// <summary>
    /// The account's audiences, filtered as Lytics filters: <c>table</c> (every audience is of <c>user</c>),
    /// <c>kind</c> (every audience is a <c>segment</c>; there are no <c>aspect</c>s), <c>valid</c> (saved audiences are
    /// always valid). <c>sizes=false</c> leaves sizes out, which saves a count per audience.
    /// </summary>
    private static async Task<IResult> ListAsync(
        HttpContext http, string? table, string? kind, string? valid, string? sizes, AudienceRegistry registry, IAudienceStore store)
    {
        if (!TryFlag(valid, out var wantValid)) return ApiResults.Error(400, "valid must be true or false");
        if (!TryFlag(sizes, out var wantSizes)) return ApiResults.Error(400, "sizes must be true or false");
        var account = http.Caller().Account;
        var list = new JsonArray();
        foreach (var a in await ListAudiencesAsync(http, registry, store))
        {
            if (wantValid == false) continue;
            if (!string.IsNullOrEmpty(kind) && !string.Equals(kind, SegmentView.Kind, StringComparison.OrdinalIgnoreCase)) continue;
            if (!string.IsNullOrEmpty(table) && !string.Equals(table, SegmentView.Table(a.SegmentQl), StringComparison.OrdinalIgnoreCase)) continue;
            var size = wantSizes == false ? (long?)null : await store.SizeAsync(account.Id, a.Id, http.RequestAborted);
            list.Add(SegmentView.Render(a, account, size));
        }
        return ApiResults.Ok(list);
    }

    /// <summary>Lytics' size shape (<c>id</c>, <c>name</c>, <c>slug_name</c>, <c>size</c>) for one audience.</summary>
    private static async Task<IResult> SizeAsync(HttpContext http, string idOrSlug, AudienceRegistry registry, IAudienceStore store)
    {
        var audience = await FindAsync(http, idOrSlug, registry, store);
        return audience is null ? NotFound(idOrSlug) : ApiResults.Ok(await SizeViewAsync(http, audience, store));
    }

    /// <summary>Sizes of the audiences named in <c>ids</c> (ids or slugs, comma-separated), or of all of them.</summary>
    private static async Task<IResult> SizesAsync(HttpContext http, string? ids, AudienceRegistry registry, IAudienceStore store)
    {
        var wanted = string.IsNullOrWhiteSpace(ids) ? null : ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var list = new JsonArray();
        foreach (var a in await ListAudiencesAsync(http, registry, store))
        {
            if (wanted is null || wanted.Contains(a.Id) || wanted.Contains(a.Slug)) list.Add(await SizeViewAsync(http, a, store));
        }
        return ApiResults.Ok(list);
    }

    private static async Task<JsonObject> SizeViewAsync(HttpContext http, Audience a, IAudienceStore store) => new()
    {
        ["id"] = a.Id,
        ["name"] = a.Name,
        ["slug_name"] = a.Slug,
        ["size"] = await store.SizeAsync(http.Caller().Account.Id, a.Id, http.RequestAborted),
    };

    private static bool TryFlag(string? text, out bool? flag)
    {
        flag = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (!bool.TryParse(text, out var parsed)) return false;
        flag = parsed;
        return true;
    }

    private static async Task<IResult> GetAsync(HttpContext http, string idOrSlug, AudienceRegistry registry, IAudienceStore store, AudienceEvaluationProgress progress)
    {
        var audience = await FindAsync(http, idOrSlug, registry, store);
        return audience is null ? NotFound(idOrSlug) : ApiResults.Ok(await DetailAsync(http, audience, store, progress));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, AudienceEditor editor, IAudienceStore store, AudienceEvaluationProgress progress)
    {
        var (draft, error) = await ReadDraftAsync(http.Request);
        if (error is not null) return error;
        var edit = await editor.CreateAsync(http.Caller().Account.Id, draft!, http.RequestAborted);
        return await AnswerAsync(http, edit, store, progress);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string idOrSlug, AudienceEditor editor, IAudienceStore store, AudienceEvaluationProgress progress)
    {
        var (draft, error) = await ReadDraftAsync(http.Request);
        if (error is not null) return error;
        var edit = await editor.UpdateAsync(http.Caller().Account.Id, idOrSlug, draft!, http.RequestAborted);
        return await AnswerAsync(http, edit, store, progress);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string idOrSlug, AudienceEditor editor)
    {
        var account = http.Caller().Account;
        var edit = await editor.DeleteAsync(account.Id, idOrSlug, http.RequestAborted);
        if (edit.Outcome != EditOutcome.Saved) return Failure(edit);
        var a = edit.Audience!;
        return ApiResults.Ok(new JsonObject { ["id"] = a.Id, ["slug_name"] = a.Slug, ["deleted"] = true });
    }

    private static async Task<IResult> AnswerAsync(HttpContext http, AudienceEdit edit, IAudienceStore store, AudienceEvaluationProgress progress) =>
        edit.Outcome == EditOutcome.Saved ? ApiResults.Ok(await DetailAsync(http, edit.Audience!, store, progress)) : Failure(edit);

    private static IResult Failure(AudienceEdit edit) => edit.Outcome switch
    {
        EditOutcome.NotFound => ApiResults.Error(404, edit.Message!),
        EditOutcome.Conflict => ApiResults.Error(409, edit.Message!),
        _ => edit.Error is { } e
            ? ApiResults.Error(400, edit.Message!, new { line = e.Line, column = e.Column, reason = e.Reason })
            : ApiResults.Error(400, edit.Message!),
    };

    private static async Task<JsonObject> DetailAsync(HttpContext http, Audience audience, IAudienceStore store, AudienceEvaluationProgress progress)
    {
        var account = http.Caller().Account;
        var view = SegmentView.Render(audience, account, await store.SizeAsync(account.Id, audience.Id, http.RequestAborted));
        // Sizes count members as processing has evaluated them; while this runs they are still moving.
        view["evaluation"] = SegmentView.Evaluation(progress.For(account.Id));
        return view;
    }

    private static async Task<(AudienceDraft? Draft, IResult? Error)> ReadDraftAsync(HttpRequest request)
    {
        var (json, error) = await RequestBody.ReadObjectAsync(request, MaxBodyBytes);
        if (json is null) return (null, error);
        using (json)
        {
            var body = json.RootElement;
            string? problem = null;
            var name = Text(body, "name", ref problem);
            var slug = Text(body, "slug_name", ref problem);
            var description = Text(body, "description", ref problem);
            var ql = Text(body, "segment_ql", ref problem);
            if (problem is not null) return (null, ApiResults.Error(400, problem));
            return (new AudienceDraft(name, slug, description, body.TryGetProperty("description", out _), ql), null);
        }
    }

    /// <summary>A string member; absent and null both give null, and any other kind of value is a problem.</summary>
    private static string? Text(JsonElement body, string member, ref string? problem)
    {
        if (!body.TryGetProperty(member, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        problem ??= $"{member} must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}";
        return null;
    }
}
