using System.Text.Json;
using Sluice.Api;
using Sluice.EventLog;
using Sluice.Mapping;
using Sluice.Profiles;

namespace Sluice.WebConsole;

/// <summary>
/// A profile's recent events for the console: among the account's newest events, those whose stream's mapping
/// gives an identity value the profile holds. The log is not indexed by person, so the look is bounded to
/// <see cref="Window"/> events; older ones are not shown (the page says so).
/// </summary>
internal sealed class ProfileEvents(IStreamCatalog catalog, IStreamMappings mappings)
{
    public const int Window = 5_000;

    public async Task<IReadOnlyList<LoggedEvent>> RecentAsync(string accountId, ProfileDocument profile, int limit, CancellationToken ct)
    {
        var found = new List<LoggedEvent>();
        foreach (var e in await catalog.LatestAsync(accountId, Window, ct))
        {
            if (await MatchesAsync(accountId, e, profile, ct)) found.Add(e);
            if (found.Count == limit) break;
        }
        return found;
    }

    private async Task<bool> MatchesAsync(string accountId, LoggedEvent e, ProfileDocument profile, CancellationToken ct)
    {
        var streamMappings = await mappings.ForStreamAsync(accountId, e.Stream, ct);
        if (streamMappings.Count == 0) return false;
        // An event stored before the log refused undecodable strings would throw where the mapping reads it.
        if (!JsonStrings.TryParse(e.Body, out var doc, out _)) return false;
        using (doc)
        {
            foreach (var mapping in streamMappings)
            {
                foreach (var (field, value) in mapping.Map(doc.RootElement).Identities)
                {
                    if (profile.Identities.TryGetValue(field, out var values) && values.Contains(value)) return true;
                }
            }
        }
        return false;
    }
}
