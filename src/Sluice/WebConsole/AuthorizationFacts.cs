using System.Text.Json.Nodes;
using Sluice.Authorizations;

namespace Sluice.WebConsole;

/// <summary>What the console shows of an authorization: only its public config (never a secret), as short facts.</summary>
internal static class AuthorizationFacts
{
    /// <summary>Where it points: a Braze instance or REST URL, an SFTP host; the rest of the public config otherwise.</summary>
    public static string Where(StoredAuthorization a) => string.Join(" · ", Public(a).Select(kv => $"{kv.Key}: {kv.Value}"));

    public static IReadOnlyList<KeyValuePair<string, string>> Public(StoredAuthorization a)
    {
        if (JsonNode.Parse(a.PublicConfig) is not JsonObject config) return [];
        return [.. config.Where(kv => kv.Value is JsonValue).Select(kv => KeyValuePair.Create(kv.Key, kv.Value!.ToString()))];
    }
}
