namespace Sluice.Benchmarks;

/// <summary>
/// Twenty audiences of mixed shapes over the fields the processing workload's mappings write (Braze webhook, Braze
/// segment export, app events): existence, equality, lists, LIKE, functions, date math, BETWEEN, an include.
/// </summary>
internal static class ProcessingAudiences
{
    public static readonly IReadOnlyList<(string Slug, string Ql)> All =
    [
        ("has_email", "FILTER EXISTS email"),
        ("lyon", "FILTER city = \"Lyon\""),
        ("osaka_or_leeds", "FILTER city IN (\"Osaka\", \"Leeds\")"),
        ("us", "FILTER country = \"US\""),
        ("active", "FILTER event_count > 3"),
        ("buyers", "FILTER events INTERSECTS (\"purchase\")"),
        ("recent", "FILTER last_seen > \"now-30d\""),
        ("example_addresses", "FILTER email LIKE \"*@example.com\""),
        ("reachable", "FILTER AND (EXISTS email, EXISTS phone_number)"),
        ("lyon_or_leeds", "FILTER OR (city = \"Lyon\", city = \"Leeds\")"),
        ("no_external_id", "FILTER NOT EXISTS user_id"),
        ("first_one", "FILTER first_name = \"First1\""),
        ("osaka_any_case", "FILTER tolower(city) = \"osaka\""),
        ("english", "FILTER language = \"en\""),
        ("us_outside_lyon", "FILTER AND (country = \"US\", NOT INCLUDE lyon)"),
        ("some_events", "FILTER event_count BETWEEN 2 AND 5"),
        ("last_name_10", "FILTER last_name CONTAINS \"10\""),
        ("example_domain", "FILTER emaildomain(email) = \"example.com\""),
        ("new", "FILTER _created > \"now-7d\""),
        ("sharers_or_heavy", "FILTER OR (events INTERSECTS (\"share\"), event_count >= 10)"),
    ];
}
