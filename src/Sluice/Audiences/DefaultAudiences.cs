namespace Sluice.Audiences;

/// <summary>
/// The audiences every account has (SPEC §4): everyone; the known (an email or an external id); the anonymous;
/// and the new (created in the last 7 days, so membership changes with time alone).
/// </summary>
internal static class DefaultAudiences
{
    public static readonly IReadOnlyList<(string Slug, string Name, string Description, string SegmentQl)> All =
    [
        ("all", "All", "Every profile", "FILTER * FROM user ALIAS all"),
        ("known", "Known", "Profiles with an email or an external id", "FILTER OR (EXISTS email, EXISTS user_id) FROM user ALIAS known"),
        ("anonymous", "Anonymous", "Profiles with neither an email nor an external id", "FILTER NOT INCLUDE known FROM user ALIAS anonymous"),
        ("new", "New", "Profiles created in the last 7 days", "FILTER _created > \"now-7d\" FROM user ALIAS new"),
    ];
}
