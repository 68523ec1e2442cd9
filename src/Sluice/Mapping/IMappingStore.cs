namespace Sluice.Mapping;

internal interface IMappingStore
{
    Task<IReadOnlyList<StoredMapping>> ListAsync(string accountId, CancellationToken ct);

    Task UpsertAsync(string accountId, StoredMapping mapping, CancellationToken ct);

    Task<bool> DeleteAsync(string accountId, string alias, CancellationToken ct);
}
