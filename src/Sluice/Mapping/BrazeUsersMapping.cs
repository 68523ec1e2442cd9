using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Mapping;

/// <summary>
/// The built-in mapping of the Braze webhook body (<c>braze_users</c>): identities <c>email</c> (trimmed,
/// lower-cased) and <c>braze_id</c>; the other fields of the webhook as profile fields, <c>date_of_birth</c>
/// (<c>YYYYMMDD</c>) as an ISO date.
/// </summary>
internal sealed class BrazeUsersMapping : IStreamMapping
{
    private static readonly string[] PlainFields =
        ["city", "country", "first_name", "gender", "language", "last_name", "phone_number", "time_zone", "twitter_handle"];

    public MappedEvent Map(ReadOnlySpan<byte> eventJson)
    {
        var body = JsonNode.Parse(eventJson) as JsonObject ?? [];
        var ids = new List<KeyValuePair<string, string>>(2);
        var fields = new List<KeyValuePair<string, JsonNode?>>(12);

        if (Text(body, "email") is { } email && email.Trim().ToLowerInvariant() is { Length: > 0 } normalised && normalised.Contains('@', StringComparison.Ordinal))
        {
            ids.Add(new("email", normalised));
            fields.Add(new("email", normalised));
        }
        if (Text(body, "braze_id")?.Trim() is { Length: > 0 } brazeId)
        {
            ids.Add(new("braze_id", brazeId));
            fields.Add(new("braze_id", brazeId));
        }
        foreach (var name in PlainFields)
        {
            if (Text(body, name) is { Length: > 0 } value) fields.Add(new(name, value));
        }
        if (Text(body, "date_of_birth") is { } dob &&
            DateOnly.TryParseExact(dob.Trim(), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            fields.Add(new("date_of_birth", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }
        return new MappedEvent(ids, fields);
    }

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue v ? v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => v.ToJsonString(),
            _ => null,
        } : null;
}
