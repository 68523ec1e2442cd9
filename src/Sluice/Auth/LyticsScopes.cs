using System.Diagnostics.CodeAnalysis;

namespace Sluice.Auth;

/// <summary>
/// Lytics' token scopes and Sluice's roles. A token request may name either; scopes Sluice has no role for (content,
/// campaigns) are refused by name rather than silently widened or narrowed.
/// </summary>
internal static class LyticsScopes
{
    private static readonly Dictionary<string, Role> ByScope = new(StringComparer.Ordinal)
    {
        ["admin"] = Role.Admin,
        ["data_manager"] = Role.DataManager,
        // Lytics' data scopes are what its collect API needs; in Sluice that is data_manager.
        ["data"] = Role.DataManager,
        ["data_write"] = Role.DataManager,
        ["segment_manager"] = Role.AudienceManager,
        ["audience_manager"] = Role.AudienceManager,
        ["marketer"] = Role.Marketer,
        ["observer"] = Role.Observer,
    };

    public static IEnumerable<string> Accepted => ByScope.Keys;

    /// <summary>The Lytics scope a role is shown as.</summary>
    public static string Scope(Role role) => role switch
    {
        Role.AudienceManager => "segment_manager",
        _ => Roles.Name(role),
    };

    public static bool TryParseAll(IEnumerable<string>? names, [NotNullWhen(false)] out string? error, out IReadOnlyList<Role> roles)
    {
        var list = new List<Role>();
        foreach (var n in names ?? [])
        {
            if (!ByScope.TryGetValue(n?.Trim().ToLowerInvariant() ?? "", out var r))
            {
                error = $"unknown role or scope \"{n}\"; Sluice accepts {string.Join(", ", Accepted)}";
                roles = [];
                return false;
            }
            if (!list.Contains(r)) list.Add(r);
        }
        if (list.Count == 0)
        {
            error = $"at least one role is required (roles or scopes): {string.Join(", ", Accepted)}";
            roles = [];
            return false;
        }
        error = null;
        roles = list;
        return true;
    }
}
