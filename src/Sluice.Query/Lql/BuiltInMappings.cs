namespace Sluice.Query.Lql;

/// <summary>
/// Mappings Sluice installs for its Braze sources. They are ordinary LQL, so an account can replace them
/// through the query API like any other mapping.
/// </summary>
public static class BuiltInMappings
{
    /// <summary>The body a Braze webhook campaign posts for one user.</summary>
    public const string BrazeUsers = """
        -- One user per request, as a Braze webhook campaign posts them.
        SELECT
          email(email)                     AS email          SHORTDESC "Email address",
          braze_id                                           SHORTDESC "Braze user id",
          oneof(user_id, external_id)      AS user_id        SHORTDESC "External user id",
          first_name                                         SHORTDESC "First name",
          last_name                                          SHORTDESC "Last name",
          city                                               SHORTDESC "City",
          country                                            SHORTDESC "Country",
          gender                                             SHORTDESC "Gender",
          language                                           SHORTDESC "Language",
          date_of_birth KIND date                            SHORTDESC "Date of birth (YYYYMMDD)",
          phone(phone_number)              AS phone_number   SHORTDESC "Phone number (E.164)",
          time_zone                                          SHORTDESC "Time zone",
          twitter_handle                                     SHORTDESC "Twitter handle"
        FROM braze_users
        INTO user BY email OR braze_id OR user_id
        ALIAS braze_users
        """;

    /// <summary>The "User Data" CSV a Braze segment export produces, one row per user (values as strings).</summary>
    public const string BrazeSegmentExport = """
        -- Braze segment CSV export. Older exports call the Braze id column "Appboy ID".
        SELECT
          user_id                                                   SHORTDESC "External user id",
          oneof(`Braze ID`, `Appboy ID`, braze_id) AS braze_id      SHORTDESC "Braze user id",
          email(email)                       AS email               SHORTDESC "Email address",
          first_name                                                SHORTDESC "First name",
          last_name                                                 SHORTDESC "Last name",
          phone(phone_number)                AS phone_number        SHORTDESC "Phone number (E.164)",
          country                                                   SHORTDESC "Country",
          city                                                      SHORTDESC "City",
          language                                                  SHORTDESC "Language",
          oneof(timezone, time_zone, `time zone`) AS time_zone      SHORTDESC "Time zone",
          gender                                                    SHORTDESC "Gender",
          date_of_birth                      KIND date              SHORTDESC "Date of birth",
          -- Account age and session bounds keep their extremes whatever order exports arrive in.
          min(todate(created_at))            AS created_at          SHORTDESC "Braze profile created",
          min(todate(first_session))         AS first_session       SHORTDESC "First session",
          max(todate(last_session))          AS last_session        SHORTDESC "Last session",
          toint(session_count)               AS session_count       SHORTDESC "Session count",
          last_app_version_used                                     SHORTDESC "Last app version used",
          toint(random_bucket)               AS random_bucket       SHORTDESC "Braze random bucket (0-9999)",
          tonumber(in_app_purchase_total)    AS in_app_purchase_total SHORTDESC "In-app purchase total",
          todate(unsubscribed_from_emails_at) AS unsubscribed_from_emails_at SHORTDESC "Unsubscribed from emails",
          todate(opted_into_push_at)         AS opted_into_push_at  SHORTDESC "Opted into push",
          todate(unsubscribed_from_push_at)  AS unsubscribed_from_push_at SHORTDESC "Unsubscribed from push"
        FROM braze_segment_export
        INTO user BY user_id OR email OR braze_id
        ALIAS braze_segment_export
        """;

    /// <summary>Built-in mappings by alias.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["braze_users"] = BrazeUsers,
        ["braze_segment_export"] = BrazeSegmentExport,
    };
}
