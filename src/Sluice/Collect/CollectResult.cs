using System.Text.Json.Serialization;

namespace Sluice.Collect;

/// <summary>The <c>data</c> of a collect response, in Lytics' shape.</summary>
internal sealed record CollectResult(
    int MessageCount,
    int RejectedCount,
    [property: JsonPropertyName("content-type")] string ContentType,
    bool Droperrors,
    bool Dryrun,
    string? TimestampField,
    string? Filename,
    IReadOnlyList<string>? Errors);
