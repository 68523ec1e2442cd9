namespace Sluice.BrazeSimulator.Track;

/// <summary>Per-object error types. The first four are Braze's documented enum names; the rest follow their style
/// for rules Braze enforces without a documented name.</summary>
internal static class TrackErrorTypes
{
    public const string ExternalIdTooLarge = "EXTERNAL_USER_ID_TOO_LARGE";
    public const string BlacklistedExternalId = "BLACKLISTED_EXTERNAL_USER_ID";
    public const string EmailBadFormat = "EMAIL_BAD_FORMAT";
    public const string BadSubscriptionState = "BAD_EMAIL_SUBSCRIPTION_STATE";
    public const string MissingIdentifier = "USER_IDENTIFIER_MISSING";
    public const string MultipleIdentifiers = "MULTIPLE_USER_IDENTIFIERS";
    public const string InvalidIdentifier = "INVALID_USER_IDENTIFIER";
    public const string NotAnObject = "INVALID_OBJECT";
    public const string ValueTooLong = "ATTRIBUTE_VALUE_TOO_LONG";
    public const string InvalidValue = "INVALID_ATTRIBUTE_VALUE";
    public const string InvalidDate = "INVALID_DATE_FORMAT";
    public const string InvalidGender = "INVALID_GENDER";
    public const string InvalidEventName = "INVALID_EVENT_NAME";
    public const string InvalidProductId = "INVALID_PRODUCT_ID";
    public const string InvalidCurrency = "INVALID_CURRENCY";
    public const string InvalidPrice = "INVALID_PRICE";
    public const string InvalidQuantity = "INVALID_QUANTITY";
}
