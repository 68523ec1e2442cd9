using Microsoft.AspNetCore.Http.HttpResults;
using Sluice.Api;
using Sluice.WebConsole.Pages;

namespace Sluice.WebConsole;

/// <summary>The answer for a path no route matched: the JSON envelope on API paths, an HTML page elsewhere.</summary>
internal static class NotFound
{
    public static IResult Answer(HttpContext http) =>
        ApiPaths.IsApi(http.Request.Path)
            ? ApiResults.Error(404, "no such route")
            : new RazorComponentResult<NotFoundPage> { StatusCode = 404 };
}
