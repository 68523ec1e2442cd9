using System.Globalization;
using System.Text.Json;
using Sluice.BrazeSimulator.Inspection;
using Sluice.BrazeSimulator.Store;

namespace Sluice.BrazeSimulator.Segments;

/// <summary>Columns of the dashboard's segment CSV exports, in the order Braze's docs list the fields (the literal
/// header order is unconfirmed). The Braze id column is "Braze ID" (older exports: "Appboy ID"); the external id is
/// "user_id"; selected custom attributes follow the standard columns.</summary>
internal static class ExportColumns
{
    public static readonly string[] UserData =
    [
        "user_id", "email", "first_name", "last_name", "phone_number", "country", "city", "language", "timezone",
        "gender", "date_of_birth", "created_at", "first_session", "last_session", "session_count",
        "last_app_version_used", "devices", "unsubscribed_from_emails_at", "opted_into_push_at",
        "unsubscribed_from_push_at", "random_bucket", "in_app_purchase_total", "user_aliases",
    ];

    public static readonly string[] EmailAddresses =
    [
        "user_id", "first_name", "last_name", "email", "unsubscribed_from_emails_at", "opted_in_to_emails_at", "user_aliases",
    ];

    /// <summary>The header row for a "User Data" export.</summary>
    public static string[] UserDataHeader(string idHeader, IReadOnlyList<string> custom) => [idHeader, .. UserData, .. custom];

    /// <summary>One row; call under the store lock.</summary>
    public static string?[] UserDataRow(SimUser user, IReadOnlyList<string> custom)
    {
        var a = user.Attributes;
        var row = new string?[1 + UserData.Length + custom.Count];
        row[0] = user.BrazeId;
        row[1] = user.ExternalId;
        row[2] = Text(a, "email");
        row[3] = Text(a, "first_name");
        row[4] = Text(a, "last_name");
        row[5] = Text(a, "phone");
        row[6] = Text(a, "country");
        row[7] = Text(a, "home_city");
        row[8] = Text(a, "language");
        row[9] = Text(a, "time_zone");
        row[10] = Text(a, "gender");
        row[11] = Text(a, "dob");
        row[12] = new SimTime(user.CreatedAt).ToString();
        row[13] = Text(a, "date_of_first_session");
        row[14] = Text(a, "date_of_last_session");
        row[15] = "0";
        row[16] = null;
        row[17] = null;
        row[18] = SubscriptionTime(user, "email_subscribe", "unsubscribed");
        row[19] = SubscriptionTime(user, "push_subscribe", "opted_in");
        row[20] = SubscriptionTime(user, "push_subscribe", "unsubscribed");
        row[21] = RandomBucket(user.BrazeId).ToString(CultureInfo.InvariantCulture);
        row[22] = user.Purchases.Values.Sum(p => p.Total).ToString("0.00", CultureInfo.InvariantCulture);
        row[23] = Aliases(user);
        for (var i = 0; i < custom.Count; i++)
        {
            row[1 + UserData.Length + i] = Format(a.GetValueOrDefault(custom[i]));
        }

        return row;
    }

    public static string?[] EmailRow(SimUser user)
    {
        var a = user.Attributes;
        var optedIn = Text(a, "email_subscribe") == "opted_in" ? new SimTime(user.UpdatedAt).ToString() : null;
        return
        [
            user.ExternalId, Text(a, "first_name"), Text(a, "last_name"), Text(a, "email"),
            SubscriptionTime(user, "email_subscribe", "unsubscribed"), optedIn, Aliases(user),
        ];
    }

    public static string? Format(object? value) => value switch
    {
        null => null,
        List<object> or Dictionary<string, object> => UserView.ToNode(value)!.ToJsonString(),
        _ => SegmentFilter.Text(value),
    };

    private static string? Text(Dictionary<string, object> attributes, string name) => Format(attributes.GetValueOrDefault(name));

    // The simulator keeps no subscription history, so the last update stands in for the time of the change.
    private static string? SubscriptionTime(SimUser user, string attribute, string state) =>
        Text(user.Attributes, attribute) == state ? new SimTime(user.UpdatedAt).ToString() : null;

    private static string? Aliases(SimUser user) =>
        user.Aliases.Count == 0
            ? null
            : JsonSerializer.Serialize(user.Aliases.Select(x => new Dictionary<string, string> { ["alias_name"] = x.Name, ["alias_label"] = x.Label }).ToArray());

    // Braze's random bucket is a stable number in [0, 9999] per profile.
    private static int RandomBucket(string brazeId)
    {
        uint hash = 2166136261;
        foreach (var c in brazeId)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash % 10000);
    }
}
