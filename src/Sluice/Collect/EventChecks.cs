using System.Text.Json;
using Sluice.Query.Lql;

namespace Sluice.Collect;

/// <summary>The checks of <see cref="EventValidator"/> bound to a stream's mappings, a timestamp field and a receive time.</summary>
internal sealed class EventChecks(IReadOnlyList<CompiledMapping> mappings, string? timestampField, long receivedMs)
{
    /// <summary>Why the event is refused (never quoting a value of it), or null with its event time in <paramref name="atMs"/>.</summary>
    public string? Check(ReadOnlyMemory<byte> body, out long atMs)
    {
        atMs = EventTime.Resolve(body.Span, timestampField, receivedMs, out var timeError);
        return timeError ?? IdentityProblem(body);
    }

    private string? IdentityProblem(ReadOnlyMemory<byte> body)
    {
        // A body no longer than the limit cannot hold a value over it: typical events skip the parse entirely.
        if (mappings.Count == 0 || body.Length <= CompiledMapping.MaxIdentityBytes) return null;
        using var json = JsonDocument.Parse(body);
        foreach (var mapping in mappings)
        {
            var mapped = mapping.Map(json.RootElement);
            foreach (var error in mapped.Errors)
            {
                if (mapping.IdentityFields.Contains(error.Field, StringComparer.Ordinal)) return $"identity field \"{error.Field}\": {error.Message}";
            }
        }
        return null;
    }
}
