using System.Text.Json.Nodes;
using Sluice.Profiles;

namespace Sluice.Audiences;

/// <summary>
/// A profile's <c>segments</c> as Lytics lists them: the slugs of the audiences it is a member of, as processing last
/// evaluated it. Audiences deleted since then are left out (the profile's exit is on its way). Documents name
/// audiences by number, or by id if written before numbering (<see cref="AudienceTokens"/>): both are looked up.
/// </summary>
internal static class ProfileSegments
{
    public static async Task<Func<ProfileDocument, JsonArray>> ForAccountAsync(IAudienceStore store, string accountId, CancellationToken ct)
    {
        var slugs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in await store.ListAsync(accountId, ct)) (slugs[a.Id], slugs[a.Token]) = (a.Slug, a.Slug);
        return doc => new JsonArray([.. doc.Audiences
            .Select(id => slugs.GetValueOrDefault(id))
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .Select(s => (JsonNode)s)]);
    }
}
