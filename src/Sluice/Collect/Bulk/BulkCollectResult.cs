using System.Text.Json.Serialization;

namespace Sluice.Collect.Bulk;

/// <summary>
/// The <c>data</c> of a bulk response: the collect shape with 64-bit counts, and, when the upload stopped at a bad
/// row, <c>stopped_at_line</c> (rows before it are stored, so a client can send the rest from there).
/// </summary>
internal sealed record BulkCollectResult(
    long MessageCount,
    long RejectedCount,
    [property: JsonPropertyName("content-type")] string ContentType,
    bool Droperrors,
    bool Dryrun,
    string? TimestampField,
    string? Filename,
    IReadOnlyList<string>? Errors,
    long? StoppedAtLine);
