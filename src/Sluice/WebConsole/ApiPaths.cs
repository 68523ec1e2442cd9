namespace Sluice.WebConsole;

/// <summary>
/// Which requests belong to the API (JSON answers, errors in the envelope) rather than the console (HTML pages).
/// The console owns everything else under <c>/</c>.
/// </summary>
internal static class ApiPaths
{
    private static readonly string[] Prefixes = ["/api", "/v2", "/c", "/collect", "/healthz", "/readyz"];

    public static bool IsApi(PathString path)
    {
        foreach (var prefix in Prefixes)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
