using Sluice.Audiences;
using Sluice.Mapping;

namespace Sluice.Export.Braze;

/// <summary>
/// Checks a <c>braze-export-audience</c> config against the account before a job is created: errors refuse it
/// (an unknown audience), warnings are returned with the created job (Braze would silently truncate, or create
/// duplicate users).
/// </summary>
internal sealed class BrazeExportValidation(IAudienceStore audiences, MappingRegistry mappings, IProfileFieldSampler sampler)
{
    public async Task<(List<string> Errors, List<string> Warnings, IReadOnlyList<Audience> Audiences)> CheckAsync(
        string accountId, BrazeExportConfig config, CancellationToken ct)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        var found = new List<Audience>();
        foreach (var id in config.SegmentIds)
        {
            if (await audiences.FindAsync(accountId, id, ct) is { } a) found.Add(a);
            else errors.Add($"segment_ids: no audience \"{id}\" in this account");
        }
        var written = (await mappings.ListAsync(accountId, ct)).SelectMany(m => m.Mapping.Fields.Select(f => f.Name)).ToHashSet(StringComparer.Ordinal);
        if (!written.Contains(config.ExternalIdField))
        {
            errors.Add($"external_id_field: no stream mapping writes a profile field \"{config.ExternalIdField}\"; known fields: {string.Join(", ", written.Order(StringComparer.Ordinal).Take(30))}");
        }
        if (found.Count > config.MaxArrayLength)
        {
            warnings.Add($"{found.Count} audiences are exported but Braze keeps at most {config.MaxArrayLength} values in {config.AttributeName}: " +
                "a user in more of them would have values dropped silently by Braze; raise the array limit in Braze (up to 100) and max_array_length, or export fewer audiences");
        }
        if (config.IdentifierType == "external_id" && errors.Count == 0)
        {
            var values = await sampler.SampleAsync(accountId, config.ExternalIdField, 100, ct);
            if (values.Count > 0 && values.Count(LooksLikeBrazeId) * 2 > values.Count)
            {
                warnings.Add($"values of {config.ExternalIdField} look like Braze's internal ids (24 hexadecimal characters), but identifier_type is external_id: " +
                    "Braze would create new users with these as external ids, duplicating the existing ones; use identifier_type braze_id, or a field that holds your external ids");
            }
        }
        return (errors, warnings, found);
    }

    /// <summary>Braze's internal user ids are 24 hexadecimal characters (a Mongo-style object id).</summary>
    public static bool LooksLikeBrazeId(string value) => value.Length == 24 && value.All(char.IsAsciiHexDigit);
}

/// <summary>A few values a profile field holds in an account, to judge what they look like.</summary>
internal interface IProfileFieldSampler
{
    Task<IReadOnlyList<string>> SampleAsync(string accountId, string field, int count, CancellationToken ct);
}
