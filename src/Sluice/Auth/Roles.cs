using System.Diagnostics.CodeAnalysis;

namespace Sluice.Auth;

internal static class Roles
{
    private static readonly Dictionary<string, Role> ByName = new(StringComparer.Ordinal)
    {
        ["observer"] = Role.Observer,
        ["marketer"] = Role.Marketer,
        ["audience_manager"] = Role.AudienceManager,
        ["data_manager"] = Role.DataManager,
        ["admin"] = Role.Admin,
    };

    public static IEnumerable<string> Names => ByName.Keys;

    public static string Name(Role role) => ByName.First(kv => kv.Value == role).Key;

    public static bool TryParse(string? name, out Role role) =>
        ByName.TryGetValue(name?.Trim().ToLowerInvariant() ?? "", out role);

    /// <summary>
    /// Whether a token holding <paramref name="held"/> may do what needs <paramref name="required"/>.
    /// Admin does everything; every role can read (observer); otherwise the exact role is needed.
    /// </summary>
    public static bool Satisfies(IReadOnlyCollection<Role> held, Role required) =>
        held.Contains(Role.Admin) || required == Role.Observer || held.Contains(required);

    public static string Format(IEnumerable<Role> roles) => string.Join(',', roles.Select(Name));

    public static IReadOnlyList<Role> ParseStored(string stored) =>
        [.. stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => TryParse(n, out var r) ? r : Role.Observer)];

    public static bool TryParseAll(IEnumerable<string>? names, [NotNullWhen(false)] out string? error, out IReadOnlyList<Role> roles)
    {
        var list = new List<Role>();
        foreach (var n in names ?? [])
        {
            if (!TryParse(n, out var r))
            {
                error = $"unknown role \"{n}\"; use one of {string.Join(", ", Names)}";
                roles = [];
                return false;
            }
            if (!list.Contains(r)) list.Add(r);
        }
        if (list.Count == 0)
        {
            error = $"at least one role is required: {string.Join(", ", Names)}";
            roles = [];
            return false;
        }
        error = null;
        roles = list;
        return true;
    }
}
