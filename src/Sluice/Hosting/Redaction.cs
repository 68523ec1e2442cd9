using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;

namespace Sluice.Hosting;

/// <summary>Removes secrets from text that goes to logs.</summary>
internal static class Redaction
{
    private static readonly HashSet<string> SecretNames = new(["key", "access_token", "token", "api_key", "password"], StringComparer.OrdinalIgnoreCase);

    public const string Mask = "REDACTED";

    public static string Query(QueryString query)
    {
        if (!query.HasValue) return "";
        var parts = QueryHelpers.ParseQuery(query.Value);
        var builder = new QueryBuilder();
        foreach (var (name, values) in parts)
        {
            foreach (var v in values)
            {
                builder.Add(name, SecretNames.Contains(name) ? Mask : v ?? "");
            }
        }
        return builder.ToQueryString().Value ?? "";
    }
}
