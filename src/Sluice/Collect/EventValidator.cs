using Sluice.Mapping;

namespace Sluice.Collect;

/// <summary>
/// The one check every incoming event goes through, whether it was collected, uploaded in bulk or imported from a
/// file: its time resolves, and no identity value its stream's mappings would use is over the size limit. Refused
/// here, where the sender (or the import's error file) still learns of it, rather than silently building no profile.
/// </summary>
internal sealed class EventValidator(IStreamMappings mappings)
{
    /// <summary>The checks for one stream, looked up once per request or file rather than once per event.</summary>
    public async ValueTask<EventChecks> ForStreamAsync(string accountId, string stream, string? timestampField, long receivedMs, CancellationToken ct) =>
        new(await mappings.ForStreamAsync(accountId, stream, ct), timestampField, receivedMs);
}
