using Sluice.BrazeSimulator.Store;

namespace Sluice.BrazeSimulator.Campaigns;

/// <summary>The variables a webhook template sees for one user, named as Braze's <c>${...}</c> attribute tags.
/// Built under the store lock so a send renders a consistent snapshot.</summary>
internal static class WebhookModel
{
    private static readonly Dictionary<string, string> Genders = new(StringComparer.Ordinal)
    {
        ["M"] = "male", ["F"] = "female", ["O"] = "other", ["N"] = "not applicable", ["P"] = "prefer not to say",
    };

    // Braze stores ISO codes but renders names (see the "English", "United States" in its webhook examples).
    private static readonly Dictionary<string, string> Languages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "English", ["fr"] = "French", ["de"] = "German", ["es"] = "Spanish", ["pt"] = "Portuguese",
        ["it"] = "Italian", ["ja"] = "Japanese", ["ko"] = "Korean", ["zh"] = "Chinese", ["nl"] = "Dutch",
        ["pl"] = "Polish", ["sv"] = "Swedish", ["vi"] = "Vietnamese", ["ru"] = "Russian", ["ar"] = "Arabic",
    };

    private static readonly Dictionary<string, string> Countries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["US"] = "United States", ["GB"] = "United Kingdom", ["FR"] = "France", ["DE"] = "Germany", ["ES"] = "Spain",
        ["PT"] = "Portugal", ["BR"] = "Brazil", ["IT"] = "Italy", ["JP"] = "Japan", ["KR"] = "South Korea",
        ["CN"] = "China", ["NL"] = "Netherlands", ["PL"] = "Poland", ["SE"] = "Sweden", ["CH"] = "Switzerland",
        ["VN"] = "Vietnam", ["IN"] = "India", ["CA"] = "Canada", ["AU"] = "Australia", ["MX"] = "Mexico",
    };

    public static Dictionary<string, object?> For(SimUser user, IReadOnlyDictionary<string, object?> campaign)
    {
        var a = user.Attributes;
        string? Text(string name) => a.TryGetValue(name, out var v) ? LiquidTemplate.ToText(v) : null;
        var custom = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in a)
        {
            // Copied: the store changes arrays and nested objects in place, and rendering happens outside its lock.
            custom[name] = Copy(value);
        }

        var gender = Text("gender");
        var language = Text("language");
        var country = Text("country");
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["user_id"] = user.ExternalId,
            ["braze_id"] = user.BrazeId,
            ["first_name"] = Text("first_name"),
            ["last_name"] = Text("last_name"),
            ["email_address"] = Text("email"),
            ["phone_number"] = Text("phone"),
            ["city"] = Text("home_city"),
            ["country"] = country is null ? null : Countries.GetValueOrDefault(country, country),
            ["language"] = language is null ? null : Languages.GetValueOrDefault(language, language),
            ["gender"] = gender is null ? null : Genders.GetValueOrDefault(gender, gender),
            // Rendered compactly, as in Braze's own webhook example ("19820101").
            ["date_of_birth"] = Text("dob")?.Replace("-", "", StringComparison.Ordinal),
            ["time_zone"] = Text("time_zone"),
            ["most_recent_app_version"] = null,
            ["custom_attribute"] = custom,
            ["campaign"] = campaign,
        };
    }

    private static object Copy(object value) => value switch
    {
        List<object> list => list.Select(Copy).ToList(),
        Dictionary<string, object> nested => nested.ToDictionary(kv => kv.Key, kv => Copy(kv.Value), StringComparer.Ordinal),
        _ => value,
    };
}
