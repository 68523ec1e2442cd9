using System.Text.Json.Serialization;

namespace Sluice.BrazeSimulator.Track;

/// <summary>Success (with <c>*_processed</c> counts for the arrays sent), partial success (<c>errors</c>, no counts)
/// and the all-invalid 400, in Braze's shapes.</summary>
internal sealed record TrackResponse(
    string Message,
    int? AttributesProcessed = null,
    int? EventsProcessed = null,
    int? PurchasesProcessed = null,
    IReadOnlyList<TrackObjectError>? Errors = null);

/// <summary>Fatal errors, 401/403/413/429/5xx: a message and, for some, details as text.</summary>
internal sealed record MessageResponse(string Message, IReadOnlyList<string>? Errors = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TrackResponse))]
[JsonSerializable(typeof(MessageResponse))]
internal sealed partial class TrackJsonContext : JsonSerializerContext;
