namespace Sluice.Authorizations;

/// <summary>The providers this server can store authorizations for, by name.</summary>
internal sealed class AuthorizationProviders(IEnumerable<IAuthorizationProvider> providers)
{
    /// <summary>Providers of the specification that are not built yet: they get a clearer answer than "unknown".</summary>
    private static readonly string[] Planned = [];

    private readonly Dictionary<string, IAuthorizationProvider> _byName =
        providers.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public IAuthorizationProvider? Find(string name) => _byName.GetValueOrDefault(name);

    public bool IsKnown(string name) => _byName.ContainsKey(name) || Planned.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="name"/> cannot be used.</summary>
    public string Refusal(string? name)
    {
        var supported = string.Join(", ", _byName.Keys.Order(StringComparer.Ordinal));
        if (string.IsNullOrWhiteSpace(name)) return $"provider is required (one of: {supported})";
        return Planned.Contains(name, StringComparer.OrdinalIgnoreCase)
            ? $"provider \"{name}\" is not supported yet (supported: {supported})"
            : $"unknown provider \"{name}\" (supported: {supported})";
    }
}
