using System.Collections.Concurrent;
using Sluice.Query.Lql;

namespace Sluice.Mapping;

/// <summary>
/// The compiled mappings of each account: the built-in ones (compiled once) overlaid with the account's own, by alias.
/// Compiled sets are cached per account and replaced when the account's mappings change through this node.
/// </summary>
internal sealed class MappingRegistry(IMappingStore store) : IStreamMappings
{
    private static readonly IReadOnlyDictionary<string, CompiledMapping> BuiltIns =
        BuiltInMappings.All.ToDictionary(kv => kv.Key, kv => CompiledMapping.Compile(kv.Value), StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, Task<AccountMappings>> _accounts = new(StringComparer.Ordinal);

    public static bool IsBuiltIn(string alias) => BuiltIns.ContainsKey(alias);

    public async ValueTask<IReadOnlyList<CompiledMapping>> ForStreamAsync(string accountId, string stream, CancellationToken ct)
    {
        var mappings = await _accounts.GetOrAdd(accountId, id => LoadAsync(id, CancellationToken.None));
        return mappings.ByStream.TryGetValue(stream, out var list) ? list : [];
    }

    /// <summary>Every mapping in effect for the account, by alias, with whether it is a built-in left as shipped.</summary>
    public async Task<IReadOnlyList<(CompiledMapping Mapping, bool BuiltIn, StoredMapping? Stored)>> ListAsync(string accountId, CancellationToken ct)
    {
        var mappings = await _accounts.GetOrAdd(accountId, id => LoadAsync(id, CancellationToken.None));
        return mappings.All;
    }

    public void Invalidate(string accountId) => _accounts.TryRemove(accountId, out _);

    private async Task<AccountMappings> LoadAsync(string accountId, CancellationToken ct)
    {
        var byAlias = BuiltIns.ToDictionary(kv => kv.Key, kv => (kv.Value, true, (StoredMapping?)null), StringComparer.Ordinal);
        foreach (var stored in await store.ListAsync(accountId, ct))
        {
            // Stored text was validated when saved; a mapping that no longer compiles (a newer, stricter release)
            // is left out rather than stopping the account's processing.
            try
            {
                byAlias[stored.Alias] = (CompiledMapping.Compile(stored.Text), false, stored);
            }
            catch (QueryException)
            {
                byAlias.Remove(stored.Alias);
            }
        }
        var all = byAlias.Values.OrderBy(m => m.Item1.Alias, StringComparer.Ordinal).ToList();
        var byStream = all.GroupBy(m => m.Item1.Stream, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CompiledMapping>)[.. g.Select(m => m.Item1)], StringComparer.Ordinal);
        return new AccountMappings(byStream, all);
    }

    private sealed record AccountMappings(
        IReadOnlyDictionary<string, IReadOnlyList<CompiledMapping>> ByStream,
        IReadOnlyList<(CompiledMapping Mapping, bool BuiltIn, StoredMapping? Stored)> All);
}
