namespace Sluice.Auth;

/// <summary>Where a token may come from: <c>?key=</c>, <c>?access_token=</c>, <c>Authorization: [Bearer] token</c>.</summary>
internal static class TokenExtraction
{
    public static readonly string[] QueryNames = ["key", "access_token"];

    public static string? Find(HttpRequest request)
    {
        foreach (var name in QueryNames)
        {
            if (request.Query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v)) return v.ToString().Trim();
        }
        var header = request.Headers.Authorization.ToString().Trim();
        if (header.Length == 0) return null;
        const string bearer = "Bearer ";
        return header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? header[bearer.Length..].Trim() : header;
    }
}
