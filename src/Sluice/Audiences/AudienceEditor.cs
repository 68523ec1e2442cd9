using Sluice.Processing;
using Sluice.Query.FilterQl;
using Sluice.Query.FilterQl.Syntax;

namespace Sluice.Audiences;

/// <summary>
/// Creates, changes and deletes audiences. A definition is compiled against the account's audiences before anything
/// is saved; after a save the account's compiled audiences are dropped and its partition re-evaluates them over the
/// existing profiles in the background. Writes take turns on this node, so the check and the save see the same
/// set of audiences (an include cannot be deleted between the check of its includer and the includer's save).
/// </summary>
internal sealed class AudienceEditor(
    IAudienceStore store, AudienceRegistry registry, IGrainFactory grains, Partitioner partitioner, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _writes = new(1, 1);

    public async Task<AudienceEdit> CreateAsync(string accountId, AudienceDraft draft, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(draft.Name)) return AudienceEdit.Invalid("name is required");
        if (string.IsNullOrWhiteSpace(draft.SegmentQl)) return AudienceEdit.Invalid("segment_ql is required: a FilterQL statement");
        if (!TryParse(draft.SegmentQl, out var statement, out var parseError)) return parseError;
        var slug = draft.Slug ?? statement.Alias ?? AudienceSlugs.FromName(draft.Name);
        if (SlugProblem(slug, draft.Slug, statement, draft.Name) is { } slugError) return slugError;

        await _writes.WaitAsync(ct);
        try
        {
            await EnsureDefaultsAsync(accountId, ct);
            var existing = await store.ListAsync(accountId, ct);
            if (existing.Any(a => a.Slug == slug)) return SlugTaken(slug);
            try
            {
                AudienceDefinitionCheck.Compile(statement, slug, null, existing);
            }
            catch (FilterQlException e)
            {
                return AudienceEdit.Invalid(e);
            }
            var now = time.GetUtcNow();
            var audience = new Audience(AudienceIds.New(), accountId, slug, draft.Name.Trim(), draft.Description, draft.SegmentQl, IsDefault: false, now, now);
            if (!await store.CreateAsync(audience, ct)) return SlugTaken(slug);
            Changed(accountId, reevaluate: true);
            return AudienceEdit.Saved(audience);
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task<AudienceEdit> UpdateAsync(string accountId, string idOrSlug, AudienceDraft draft, CancellationToken ct)
    {
        if (draft.Name is not null && string.IsNullOrWhiteSpace(draft.Name)) return AudienceEdit.Invalid("name cannot be empty");
        if (draft.SegmentQl is not null && string.IsNullOrWhiteSpace(draft.SegmentQl)) return AudienceEdit.Invalid("segment_ql cannot be empty");

        await _writes.WaitAsync(ct);
        try
        {
            await EnsureDefaultsAsync(accountId, ct);
            var current = await store.FindAsync(accountId, idOrSlug, ct);
            if (current is null) return AudienceEdit.NotFound(idOrSlug);
            var ql = draft.SegmentQl ?? current.SegmentQl;
            if (!TryParse(ql, out var statement, out var parseError)) return parseError;
            // A new statement may rename the audience through its ALIAS; an unchanged one keeps the slug.
            var slug = draft.Slug ?? (draft.SegmentQl is not null ? statement.Alias : null) ?? current.Slug;

            var compiled = await registry.ForAccountAsync(accountId, ct);
            var includers = compiled.All
                .Where(c => c.Audience.Id != current.Id && c.Filter.Includes.Contains(current.Slug))
                .Select(c => c.Audience)
                .ToList();
            if (slug != current.Slug)
            {
                if (current.IsDefault) return AudienceEdit.Conflict($"\"{current.Slug}\" is a default audience: its slug cannot change");
                if (includers.Count > 0) return IncludedBy(current.Slug, includers, "renamed");
            }
            if (SlugProblem(slug, draft.Slug, statement, draft.Name ?? current.Name) is { } slugError) return slugError;
            var existing = await store.ListAsync(accountId, ct);
            if (existing.Any(a => a.Slug == slug && a.Id != current.Id)) return SlugTaken(slug);
            try
            {
                AudienceDefinitionCheck.Compile(statement, slug, current.Id, existing);
            }
            catch (FilterQlException e)
            {
                return AudienceEdit.Invalid(e);
            }
            // An includer compiles this definition into its own, so the new one must also fit there (depth, cycles).
            var resolver = AudienceDefinitionCheck.Resolver(ql, slug, current.Id, existing);
            foreach (var includer in includers)
            {
                try
                {
                    FilterCompiler.Compile(FilterQlParser.Parse(includer.SegmentQl), resolver);
                }
                catch (FilterQlException e)
                {
                    return AudienceEdit.Invalid(e, $"audience \"{includer.Slug}\", which includes this one, would not compile: ");
                }
            }

            var updated = current with
            {
                Name = draft.Name?.Trim() ?? current.Name,
                Slug = slug,
                Description = draft.DescriptionGiven ? draft.Description : current.Description,
                SegmentQl = ql,
                Updated = time.GetUtcNow(),
            };
            if (!await store.UpdateAsync(updated, ct)) return SlugTaken(slug);
            Changed(accountId, reevaluate: updated.SegmentQl != current.SegmentQl || updated.Slug != current.Slug);
            return AudienceEdit.Saved(updated);
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task<AudienceEdit> DeleteAsync(string accountId, string idOrSlug, CancellationToken ct)
    {
        await _writes.WaitAsync(ct);
        try
        {
            await EnsureDefaultsAsync(accountId, ct);
            var current = await store.FindAsync(accountId, idOrSlug, ct);
            if (current is null) return AudienceEdit.NotFound(idOrSlug);
            if (current.IsDefault) return AudienceEdit.Conflict($"\"{current.Slug}\" is a default audience and cannot be deleted");
            var includers = (await registry.ForAccountAsync(accountId, ct)).All
                .Where(c => c.Audience.Id != current.Id && c.Filter.Includes.Contains(current.Slug))
                .Select(c => c.Audience)
                .ToList();
            if (includers.Count > 0) return IncludedBy(current.Slug, includers, "deleted");
            if (!await store.DeleteAsync(accountId, current.Id, ct)) return AudienceEdit.NotFound(idOrSlug);
            // The re-evaluation exits every profile still holding the deleted audience, so the feed records the exits.
            Changed(accountId, reevaluate: true);
            return AudienceEdit.Saved(current);
        }
        finally
        {
            _writes.Release();
        }
    }

    public void Dispose() => _writes.Dispose();

    /// <summary>The first use of an account creates its default audiences: a new audience must not take their slugs.</summary>
    private Task EnsureDefaultsAsync(string accountId, CancellationToken ct) => registry.ForAccountAsync(accountId, ct);

    private void Changed(string accountId, bool reevaluate)
    {
        registry.Invalidate(accountId);
        if (reevaluate) grains.GetGrain<IPartitionGrain>(partitioner.For(accountId)).ReevaluateAsync(accountId);
    }

    private static bool TryParse(string segmentQl, out FilterStatement statement, out AudienceEdit error)
    {
        try
        {
            statement = AudienceDefinitionCheck.Parse(segmentQl);
            error = null!;
            return true;
        }
        catch (FilterQlException e)
        {
            statement = null!;
            error = AudienceEdit.Invalid(e);
            return false;
        }
    }

    private static AudienceEdit? SlugProblem(string slug, string? given, FilterStatement statement, string name)
    {
        if (given is not null && statement.Alias is { } alias && alias != given)
        {
            return AudienceEdit.Invalid($"slug_name \"{given}\" and the statement's ALIAS \"{alias}\" differ: give one, or the same in both");
        }
        if (slug.Length == 0) return AudienceEdit.Invalid($"give a slug_name: the name \"{name}\" has no letters or digits to make one from");
        return AudienceSlugs.Problem(slug) is { } problem ? AudienceEdit.Invalid(problem) : null;
    }

    private static AudienceEdit SlugTaken(string slug) => AudienceEdit.Conflict($"slug_name \"{slug}\" is already used by another segment of this account");

    private static AudienceEdit IncludedBy(string slug, List<Audience> includers, string verb) => AudienceEdit.Conflict(
        $"segment \"{slug}\" cannot be {verb}: {string.Join(", ", includers.Select(i => $"\"{i.Slug}\""))} INCLUDE{(includers.Count == 1 ? "S" : "")} it");
}
