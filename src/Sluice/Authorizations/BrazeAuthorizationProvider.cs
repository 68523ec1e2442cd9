using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Sluice.Export.Braze;

namespace Sluice.Authorizations;

/// <summary>
/// Braze: a REST API key and where to use it, an instance (<c>US-03</c>) or a REST URL (the simulator, a proxy).
/// The key is the only secret; the last four characters of a long key are shown so that people can tell keys apart.
/// </summary>
internal sealed class BrazeAuthorizationProvider(BrazeKeyCheck keyCheck) : IAuthorizationProvider
{
    public const string ProviderName = "braze";

    private const string ApiKey = "api_key";
    private const string Instance = "instance";
    private const string RestUrl = "rest_url";
    private const string ApiKeyLast4 = "api_key_last4";

    /// <summary>Shorter keys (test keys) would give away too much of themselves; Braze's keys are 36 characters.</summary>
    private const int LongEnoughToHint = 20;

    private static readonly HashSet<string> Allowed = [ApiKey, Instance, RestUrl];

    public string Name => ProviderName;

    public bool TryParse(JsonObject? config, [NotNullWhen(true)] out ProviderConfig? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (config is null) return Fail("config is required: {\"api_key\": ..., \"instance\": \"US-01\"} or {\"api_key\": ..., \"rest_url\": ...}", out error);
        var unknown = config.Select(p => p.Key).FirstOrDefault(k => !Allowed.Contains(k));
        if (unknown is not null) return Fail($"config.{unknown} is not a Braze setting (expected api_key and instance or rest_url)", out error);

        if (!TryString(config, ApiKey, out var key) || key.Length == 0) return Fail("config.api_key is required: a Braze REST API key", out error);
        // Never echo the key in these messages: a wrong key is still someone's key.
        if (key.Any(char.IsWhiteSpace) || key.Length > 256) return Fail("config.api_key is not a Braze REST API key (it has spaces or is too long)", out error);
        if (key[0] is '"' or '\'' || key[^1] is '"' or '\'') return Fail("config.api_key must not be quoted: Braze refuses a quoted key", out error);

        var hasInstance = config.ContainsKey(Instance);
        var hasUrl = config.ContainsKey(RestUrl);
        if (hasInstance == hasUrl) return Fail("config needs exactly one of instance (e.g. \"US-03\") or rest_url", out error);

        var shown = new JsonObject();
        if (hasInstance)
        {
            if (!TryString(config, Instance, out var instance) || !BrazeInstances.TryGet(instance, out _))
            {
                return Fail($"config.instance must be one of {string.Join(", ", BrazeInstances.Names)}", out error);
            }
            shown[Instance] = instance.Trim().ToUpperInvariant();
        }
        else
        {
            string? why = null;
            if (!TryString(config, RestUrl, out var url) || !TryRestUrl(url, out var restUrl, out why))
            {
                return Fail($"config.rest_url {why ?? "must be a string"}", out error);
            }
            shown[RestUrl] = restUrl.AbsoluteUri;
        }
        if (key.Length >= LongEnoughToHint) shown[ApiKeyLast4] = key[^4..];

        parsed = new ProviderConfig(shown, new JsonObject { [ApiKey] = key });
        error = null;
        return true;
    }

    public Task<ConnectionTest> TestAsync(JsonObject publicConfig, JsonObject secrets, CancellationToken ct) =>
        keyCheck.CheckAsync(Workspace(publicConfig, secrets), ct);

    /// <summary>The workspace of a stored config (already validated when it was created).</summary>
    public static BrazeWorkspace Workspace(JsonObject publicConfig, JsonObject secrets)
    {
        var key = (string)secrets[ApiKey]!;
        if (publicConfig[Instance] is JsonValue instance && BrazeInstances.TryGet((string?)instance, out var host)) return new BrazeWorkspace(host, key);
        return new BrazeWorkspace(new Uri((string)publicConfig[RestUrl]!), key);
    }

    private static bool TryRestUrl(string text, [NotNullWhen(true)] out Uri? url, out string? why)
    {
        url = null;
        why = null;
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
        {
            why = "must be an absolute http or https URL, e.g. https://rest.iad-03.braze.com";
            return false;
        }
        if (parsed.UserInfo.Length > 0)
        {
            // It would be shown in every response; credentials belong in api_key.
            why = "must not carry a user name or password";
            return false;
        }
        if (parsed.Query.Length > 0 || parsed.Fragment.Length > 0)
        {
            why = "must not have a query or a fragment";
            return false;
        }
        // A trailing slash makes "users/track" resolve under any path prefix of a proxy.
        url = parsed.AbsolutePath.EndsWith('/') ? parsed : new Uri(parsed.AbsoluteUri + "/");
        return true;
    }

    private static bool TryString(JsonObject config, string name, [NotNullWhen(true)] out string? value)
    {
        value = config[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : null;
        return value is not null;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
