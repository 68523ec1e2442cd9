using System.Reflection;
using System.Security.Cryptography;

namespace Sluice.WebConsole;

/// <summary>
/// The console's stylesheet and its one small script, compiled into the assembly (no npm step, no static-files
/// folder to ship beside the binary) and served with a content hash in the URL, so browsers may cache them forever.
/// </summary>
internal static class ConsoleAssets
{
    private static readonly Asset Css = Load("console.css", "text/css; charset=utf-8");
    private static readonly Asset Js = Load("console.js", "text/javascript; charset=utf-8");

    public static string CssPath => "/_console/console.css?v=" + Css.Hash;

    public static string JsPath => "/_console/console.js?v=" + Js.Hash;

    public static IEndpointRouteBuilder MapConsoleAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/_console/console.css", (HttpContext http) => Serve(http, Css)).ExcludeFromDescription();
        app.MapGet("/_console/console.js", (HttpContext http) => Serve(http, Js)).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, Asset asset)
    {
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private static Asset Load(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("console/" + name)
            ?? throw new InvalidOperationException($"the console asset {name} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return new Asset(bytes, contentType, Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]);
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string Hash);
}
