using Sluice.Profiles;
using Sluice.Query.Values;

namespace Sluice.Export.Braze;

/// <summary>
/// Samples a field's values from the account's first profiles in id order. Reading stops after a bounded number of
/// profiles, so that a field few profiles hold costs a few pages, not a scan of the account.
/// </summary>
internal sealed class ProfileFieldSampler(IProfileStore profiles) : IProfileFieldSampler
{
    private const int PageSize = 500;
    private const int MaxProfilesRead = 5000;

    public async Task<IReadOnlyList<string>> SampleAsync(string accountId, string field, int count, CancellationToken ct)
    {
        var values = new List<string>(count);
        long after = 0;
        for (var read = 0; read < MaxProfilesRead && values.Count < count;)
        {
            var page = await profiles.ScanAsync(accountId, after, PageSize, ct);
            if (page.Count == 0) break;
            foreach (var row in page)
            {
                after = row.Id;
                read++;
                var doc = ProfileDocument.Deserialize(row.Doc);
                if (doc.Fields.TryGetValue(field, out var stored)) values.AddRange(Texts(stored.Value.Value));
                else if (doc.Identities.TryGetValue(field, out var ids)) values.AddRange(ids);
                if (values.Count >= count) break;
            }
            if (page.Count < PageSize) break;
        }
        return values.Count > count ? values[..count] : values;
    }

    private static IEnumerable<string> Texts(Value value) => value.Kind switch
    {
        ValueKind.String => [value.AsString()],
        ValueKind.StringList => value.AsList(),
        ValueKind.Long => [value.AsLong().ToString(System.Globalization.CultureInfo.InvariantCulture)],
        _ => [],
    };
}
