namespace Sluice.Api;

/// <summary>
/// The JSON 404 for every unknown path under Sluice's API prefixes. A plain <c>MapFallback</c> skips paths whose last
/// segment holds a dot (it treats them as files), and those got an empty body, which Lytics' clients cannot decode
/// (<c>/api/segment/my.segment</c>, <c>/v2/identity/user/email/a@b.com</c>). Other paths are left to the console.
/// </summary>
internal static class ApiNotFound
{
    /// <summary>The prefixes whose unknown paths answer the JSON envelope.</summary>
    public static readonly string[] Prefixes = ["/api", "/v2", "/c", "/collect"];

    public static IEndpointRouteBuilder MapApiNotFound(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in Prefixes)
        {
            app.MapFallback(prefix, NotFound);
            app.MapFallback(prefix + "/{**path}", NotFound);
        }
        return app;
    }

    // The path itself is not echoed: past the prefix it may hold identity values or a token.
    private static IResult NotFound(HttpContext http) =>
        ApiResults.Error(404, $"no such route: {http.Request.Method} {Prefix(http.Request.Path)}/... (see the README's Lytics compatibility table)");

    private static string Prefix(PathString path) =>
        Prefixes.FirstOrDefault(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)) ?? "";
}
