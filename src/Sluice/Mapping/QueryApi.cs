using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Api;
using Sluice.Auth;
using Sluice.Query.Lql;

namespace Sluice.Mapping;

/// <summary>
/// Stream mappings in LQL, as Lytics' <c>/api/query</c>: list, upsert by alias (validated, errors with line and
/// column; answered with the list of saved queries, as Lytics does), delete, <c>_validate</c> (parse without
/// saving) and <c>_test</c> against a record given as query parameters (or a JSON body). Queries are rendered by
/// <see cref="QueryView"/>.
/// </summary>
internal static class QueryApi
{
    private const int MaxQueryBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapQueries(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/query").RequireToken(Role.DataManager).WithTags("Mappings");
        group.MapGet("/", ListAsync);
        group.MapGet("/{alias}", GetAsync);
        group.MapPost("/", UpsertAsync);
        group.MapDelete("/{alias}", DeleteAsync);
        group.MapPost("/_test", TestAsync);
        group.MapPost("/_validate", (Func<HttpContext, Task<IResult>>)ValidateAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, MappingRegistry registry)
    {
        var all = await registry.ListAsync(http.Caller().Account.Id, http.RequestAborted);
        return ApiResults.Ok(new JsonArray([.. all.Select(m => (JsonNode)QueryView.Render(m.Mapping, m.BuiltIn, m.Stored, http.Caller().Account.CreatedAt))]));
    }

    private static async Task<IResult> GetAsync(HttpContext http, string alias, MappingRegistry registry)
    {
        var all = await registry.ListAsync(http.Caller().Account.Id, http.RequestAborted);
        var found = all.FirstOrDefault(m => m.Mapping.Alias == alias);
        return found.Mapping is null ? ApiResults.Error(404, $"no mapping with alias \"{alias}\"") : ApiResults.Ok(QueryView.Render(found.Mapping, found.BuiltIn, found.Stored, http.Caller().Account.CreatedAt));
    }

    private static async Task<IResult> UpsertAsync(HttpContext http, MappingRegistry registry, IMappingStore store, TimeProvider time)
    {
        var text = await ReadTextAsync(http.Request);
        if (text is null) return ApiResults.Error(413, $"the query is larger than {MaxQueryBytes} bytes");
        if (string.IsNullOrWhiteSpace(text)) return ApiResults.Error(400, "send the LQL statement as the request body (text/plain)");
        CompiledMapping mapping;
        try
        {
            mapping = CompiledMapping.Compile(text);
        }
        catch (QueryException e)
        {
            return ApiResults.Error(400, $"invalid LQL: {e.Message}", new { line = e.Line, column = e.Column });
        }
        var account = http.Caller().Account;
        var now = time.GetUtcNow();
        var all = await registry.ListAsync(account.Id, http.RequestAborted);
        if (MappingConflicts.Find(mapping, all.Select(m => m.Mapping)) is { } conflict) return ApiResults.Error(409, conflict);
        var existing = all.FirstOrDefault(m => m.Mapping.Alias == mapping.Alias);
        var stored = new StoredMapping(mapping.Alias, mapping.Stream, text, existing.Stored?.CreatedAt ?? now, now);
        await store.UpsertAsync(account.Id, stored, http.RequestAborted);
        registry.Invalidate(account.Id);
        return ApiResults.Ok(new JsonArray(QueryView.Render(mapping, false, stored)));
    }

    /// <summary>Parses LQL without saving it: the query as it would be saved (in a list, as Lytics answers), or 400 with the position.</summary>
    private static async Task<IResult> ValidateAsync(HttpContext http)
    {
        var text = await ReadTextAsync(http.Request);
        if (text is null) return ApiResults.Error(413, $"the query is larger than {MaxQueryBytes} bytes");
        if (string.IsNullOrWhiteSpace(text)) return ApiResults.Error(400, "send the LQL statement as the request body (text/plain)");
        try
        {
            return ApiResults.Ok(new JsonArray(QueryView.Render(CompiledMapping.Compile(text), false, null)));
        }
        catch (QueryException e)
        {
            return ApiResults.Error(400, $"invalid LQL: {e.Message}", new { line = e.Line, column = e.Column });
        }
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string alias, MappingRegistry registry, IMappingStore store)
    {
        var account = http.Caller().Account;
        var removed = await store.DeleteAsync(account.Id, alias, http.RequestAborted);
        registry.Invalidate(account.Id);
        if (removed) return Results.NoContent();
        return MappingRegistry.IsBuiltIn(alias)
            ? ApiResults.Error(400, $"\"{alias}\" is a built-in mapping: replace it with POST /api/query, it cannot be removed")
            : ApiResults.Error(404, $"no mapping with alias \"{alias}\"");
    }

    /// <summary>
    /// Evaluates a mapping against one record: <c>?alias=</c> or <c>?stream=</c> names it, or the body is LQL. The
    /// answer's data is the profile the record makes, field by field, as Lytics answers; with
    /// <c>?diagnostics=true</c> it is Sluice's detail instead: whether the record passed WHERE, its identities, and
    /// each field that failed its KIND.
    /// </summary>
    private static async Task<IResult> TestAsync(HttpContext http, string? alias, string? stream, bool? diagnostics, MappingRegistry registry)
    {
        var all = await registry.ListAsync(http.Caller().Account.Id, http.RequestAborted);
        CompiledMapping? mapping = null;
        IResult Answer(MappingTestResult result) => ApiResults.Ok(diagnostics == true ? result.ToJson() : Profile(result));
        var record = http.Request.Query.Where(q => q.Key is not ("alias" or "stream" or "key" or "access_token" or "diagnostics"))
            .Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())).ToList();
        if (alias is not null || stream is not null)
        {
            mapping = all.Select(m => m.Mapping).FirstOrDefault(m => alias is not null ? m.Alias == alias : m.Stream == stream);
            if (mapping is null) return ApiResults.Error(404, $"no mapping for {(alias is not null ? "alias" : "stream")} \"{alias ?? stream}\"");
        }
        var body = await ReadTextAsync(http.Request);
        if (body is null) return ApiResults.Error(413, $"the body is larger than {MaxQueryBytes} bytes");
        if (mapping is null)
        {
            if (string.IsNullOrWhiteSpace(body)) return ApiResults.Error(400, "name the mapping with ?alias= or ?stream=, or send LQL as the body");
            try
            {
                mapping = CompiledMapping.Compile(body);
            }
            catch (QueryException e)
            {
                return ApiResults.Error(400, $"invalid LQL: {e.Message}", new { line = e.Line, column = e.Column });
            }
        }
        else if (!string.IsNullOrWhiteSpace(body))
        {
            // With a named mapping the body may carry the record as JSON instead of the query string.
            if (!JsonStrings.TryParse(body, out var doc, out var problem)) return ApiResults.Error(400, $"record: {problem}");
            using (doc) return Answer(MappingTester.Test(mapping, doc.RootElement));
        }
        return Answer(MappingTester.Test(mapping, record));
    }

    private static JsonObject Profile(MappingTestResult result) =>
        new(result.Fields.Select(f => KeyValuePair.Create(f.Key, f.Value?.DeepClone())));

    /// <summary>The body as text, or null when it is over the limit.</summary>
    private static async Task<string?> ReadTextAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[MaxQueryBytes + 1];
        var total = 0;
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(total), request.HttpContext.RequestAborted)) > 0)
        {
            total += read;
            if (total > MaxQueryBytes) return null;
        }
        return new string(buffer, 0, total);
    }
}
