using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Sluice.Query.FilterQl;
using Sluice.Query.FilterQl.Syntax;

namespace Sluice.Audiences;

/// <summary>
/// Each account's audiences, loaded and compiled once and kept until a definition changes. The first load of an
/// account creates its default audiences. Definitions that no longer compile (an include whose target was changed
/// out from under it) are left out and logged rather than failing every profile of the account.
/// </summary>
internal sealed class AudienceRegistry(IAudienceStore store, IOptions<AudienceOptions> options, TimeProvider time, ILogger<AudienceRegistry> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<AccountAudiences>>> _accounts = new(StringComparer.Ordinal);

    public Task<AccountAudiences> ForAccountAsync(string accountId, CancellationToken ct) =>
        _accounts.GetOrAdd(accountId, id => new Lazy<Task<AccountAudiences>>(() => LoadAsync(id, CancellationToken.None))).Value.WaitAsync(ct);

    /// <summary>Forgets an account's compiled audiences; the next use reloads them.</summary>
    public void Invalidate(string accountId) => _accounts.TryRemove(accountId, out _);

    /// <summary>A resolver over an account's saved definitions, for compiling a statement that INCLUDEs them.</summary>
    public static IAudienceResolver Resolver(IEnumerable<Audience> audiences)
    {
        var parsed = new Dictionary<string, FilterStatement>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in audiences)
        {
            try
            {
                parsed[a.Slug] = FilterQlParser.Parse(a.SegmentQl);
            }
            catch (FilterQlException)
            {
                // Saved definitions were checked when saved; one that no longer parses resolves as unknown.
            }
        }
        return AudienceResolver.FromDictionary(parsed);
    }

    private async Task<AccountAudiences> LoadAsync(string accountId, CancellationToken ct)
    {
        try
        {
            var saved = await store.ListAsync(accountId, ct);
            var audiences = options.Value.CreateDefaults ? await EnsureDefaultsAsync(accountId, saved, ct) : saved;
            var resolver = Resolver(audiences);
            var compiled = new List<CompiledAudience>(audiences.Count);
            foreach (var a in audiences)
            {
                try
                {
                    compiled.Add(new CompiledAudience(a, FilterCompiler.Compile(FilterQlParser.Parse(a.SegmentQl), resolver)));
                }
                catch (FilterQlException e)
                {
                    logger.LogWarning("Audience {Slug} of account {Account} does not compile and is not evaluated: {Reason}", a.Slug, accountId, e.Message);
                }
            }
            return new AccountAudiences(compiled);
        }
        catch
        {
            // A failed load must not be cached: the next caller tries again.
            Invalidate(accountId);
            throw;
        }
    }

    private async Task<IReadOnlyList<Audience>> EnsureDefaultsAsync(string accountId, IReadOnlyList<Audience> existing, CancellationToken ct)
    {
        var missing = DefaultAudiences.All.Where(d => !existing.Any(a => a.IsDefault && a.Slug == d.Slug)).ToList();
        if (missing.Count == 0) return existing;
        var now = time.GetUtcNow();
        foreach (var (slug, name, description, ql) in missing)
        {
            // A slug an operator already took keeps their audience; the default is then not created.
            await store.CreateAsync(new Audience(AudienceIds.New(), accountId, slug, name, description, ql, IsDefault: true, now, now), ct);
        }
        return await store.ListAsync(accountId, ct);
    }
}
