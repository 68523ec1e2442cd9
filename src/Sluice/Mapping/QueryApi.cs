using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Api;
using Sluice.Auth;
using Sluice.Query.Lql;

namespace Sluice.Mapping;

/// <summary>
/// Stream mappings in LQL, as Lytics' <c>/api/query</c>: list, upsert by alias (validated, errors with line and
/// column), delete, and <c>_test</c> against a record given as query parameters (or a JSON body).
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
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, MappingRegistry registry)
    {
        var all = await registry.ListAsync(http.Caller().Account.Id, http.RequestAborted);
        return ApiResults.Ok(all.Select(m => View(m.Mapping, m.BuiltIn, m.Stored)).ToList());
    }

    private static async Task<IResult> GetAsync(HttpContext http, string alias, MappingRegistry registry)
    {
        var all = await registry.ListAsync(http.Caller().Account.Id, http.RequestAborted);
        var found = all.FirstOrDefault(m => m.Mapping.Alias == alias);
        return found.Mapping is null ? ApiResults.Error(404, $"no mapping with alias \"{alias}\"") : ApiResults.Ok(View(found.Mapping, found.BuiltIn, found.Stored));
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
        var existing = (await registry.ListAsync(account.Id, http.RequestAborted)).FirstOrDefault(m => m.Mapping.Alias == mapping.Alias);
        await store.UpsertAsync(account.Id, new StoredMapping(mapping.Alias, mapping.Stream, text, existing.Stored?.CreatedAt ?? now, now), http.RequestAborted);
        registry.Invalidate(account.Id);
        return ApiResults.Ok(View(mapping, false, null));
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

    /// <summary>Evaluates a mapping against one record: <c>?alias=</c> or <c>?stream=</c> names it, or the body is LQL.</summary>
    private static async Task<IResult> TestAsync(HttpContext http, string? alias, string? stream, MappingRegistry registry)
    {
        var all = await registry.ListAsync(http.Caller().Account.Id, http.RequestAborted);
        CompiledMapping? mapping = null;
        var record = http.Request.Query.Where(q => q.Key is not ("alias" or "stream" or "key" or "access_token"))
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
            var utf8 = Encoding.UTF8.GetBytes(body);
            if (JsonStrings.FindUndecodable(utf8) is var bad and >= 0) return ApiResults.Error(400, $"record: {JsonStrings.Describe(utf8, bad)}");
            try
            {
                using var doc = JsonDocument.Parse(utf8);
                return ApiResults.Ok(MappingTester.Test(mapping, doc.RootElement).ToJson());
            }
            catch (JsonException e)
            {
                return ApiResults.Error(400, $"malformed JSON record at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}");
            }
        }
        return ApiResults.Ok(MappingTester.Test(mapping, record).ToJson());
    }

    private static JsonObject View(CompiledMapping m, bool builtIn, StoredMapping? stored) => new()
    {
        ["alias"] = m.Alias,
        ["stream"] = m.Stream,
        ["table"] = m.Table,
        ["by_fields"] = new JsonArray([.. m.IdentityFields.Select(f => (JsonNode)f)]),
        ["fields"] = new JsonArray([.. m.Fields.Select(f => (JsonNode)new JsonObject
        {
            ["name"] = f.Name,
            ["kind"] = FieldKinds.ToLql(f.Kind),
            ["merge_op"] = f.MergeOp.ToString().ToUpperInvariant(),
            ["identity"] = f.IsIdentity,
            ["shortdesc"] = f.ShortDescription,
        })]),
        ["built_in"] = builtIn,
        ["text"] = m.Text,
        ["created"] = stored is null ? null : ApiJson.Time(stored.CreatedAt),
        ["updated"] = stored is null ? null : ApiJson.Time(stored.UpdatedAt),
    };

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
