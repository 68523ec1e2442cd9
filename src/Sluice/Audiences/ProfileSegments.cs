using System.Text.Json.Nodes;
using Sluice.Profiles;

namespace Sluice.Audiences;

/// <summary>
/// A profile's <c>segments</c> as Lytics lists them: the slugs of the audiences it is a member of, as processing last
/// evaluated it. Audiences deleted since then are left out (the profile's exit is on its way).
/// </summary>
internal static class ProfileSegments
{
    public static async Task<Func<ProfileDocument, JsonArray>> ForAccountAsync(IAudienceStore store, string accountId, CancellationToken ct)
    {
        var slugs = (await store.ListAsync(accountId, ct)).ToDictionary(a => a.Id, a => a.Slug, StringComparer.Ordinal);
        return doc => new JsonArray([.. doc.Audiences
            .Select(id => slugs.GetValueOrDefault(id))
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .Select(s => (JsonNode)s)]);
    }
}
