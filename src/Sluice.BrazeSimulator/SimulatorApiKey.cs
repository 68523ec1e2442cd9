namespace Sluice.BrazeSimulator;

/// <summary>A REST API key and the endpoint permissions it was created with (e.g. <c>users.track</c>).</summary>
public sealed record SimulatorApiKey(string Key, IReadOnlySet<string> Permissions)
{
    public const string UsersTrack = "users.track";

    public static SimulatorApiKey WithPermissions(string key, params string[] permissions) =>
        new(key, new HashSet<string>(permissions, StringComparer.Ordinal));

    /// <summary>Parses <c>KEY[:perm,perm...]</c>; a key without permissions gets <c>users.track</c>.</summary>
    public static SimulatorApiKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var key = colon < 0 ? text : text[..colon];
        if (key.Length == 0)
        {
            throw new FormatException($"'{text}' has no key before the ':'; use KEY[:perm,perm...].");
        }

        if (colon < 0)
        {
            return WithPermissions(key, UsersTrack);
        }

        var permissions = text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return WithPermissions(key, permissions);
    }
}
