using System.Buffers;

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

    /// <summary>
    /// The secret <see cref="Find"/> would return, as a slice of the raw query string or header, when reading it needs
    /// no decoding and no choice: one <c>key</c> or <c>access_token</c> parameter whose value has no escapes, and no
    /// parameter name with escapes; or, with neither, a single Authorization header. False otherwise (and when there
    /// is no token at all): <see cref="Find"/> then decides.
    /// </summary>
    public static bool TryFindPlain(HttpRequest request, out ReadOnlySpan<char> secret)
    {
        secret = default;
        var query = request.QueryString.Value;
        var matches = 0;
        if (query is { Length: > 1 })
        {
            var raw = query.AsSpan(1);
            foreach (var range in raw.Split('&'))
            {
                var part = raw[range];
                var eq = part.IndexOf('=');
                var name = eq < 0 ? part : part[..eq];
                if (name.ContainsAny(Escapes)) return false;
                if (!name.Equals("key", StringComparison.OrdinalIgnoreCase) && !name.Equals("access_token", StringComparison.OrdinalIgnoreCase)) continue;
                matches++;
                secret = eq < 0 ? default : part[(eq + 1)..].Trim();
            }
        }
        if (matches > 1) return false;
        if (matches == 1) return !secret.IsEmpty && !secret.ContainsAny(Escapes);

        var header = request.Headers.Authorization;
        if (header.Count != 1) return false;
        secret = header[0].AsSpan().Trim();
        const string bearer = "Bearer ";
        if (secret.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)) secret = secret[bearer.Length..].Trim();
        return !secret.IsEmpty;
    }

    /// <summary>What a query string decodes: <c>%XX</c> and <c>+</c> for a space.</summary>
    private static readonly SearchValues<char> Escapes = SearchValues.Create("%+");
}
