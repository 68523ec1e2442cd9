using System.Collections.Frozen;

namespace Sluice.Audiences;

/// <summary>
/// An account's audiences, compiled, with an index from the fields a definition reads to the audiences that read
/// them: a change to <c>city</c> re-evaluates only the audiences that read <c>city</c> (or include one that does,
/// since an include is compiled into its includer and contributes its fields).
/// </summary>
internal sealed class AccountAudiences
{
    private static readonly string[] ProfileTimes = ["_modified", "_last_event", "_num_events"];

    private readonly FrozenDictionary<string, CompiledAudience[]> _byField;
    private readonly CompiledAudience[] _alwaysAffected;

    // With up to 64 audiences (the common case) each field maps to a bit mask of the audiences that read it, so that
    // finding the audiences a change affects allocates nothing: this runs for every changed profile of every batch.
    private readonly FrozenDictionary<string, ulong>? _maskByField;
    private readonly ulong _alwaysMask;

    public AccountAudiences(IReadOnlyList<CompiledAudience> all)
    {
        All = all;
        ById = all.ToFrozenDictionary(a => a.Audience.Id, StringComparer.Ordinal);
        ByToken = all.ToFrozenDictionary(a => a.Token, StringComparer.Ordinal);
        TimeRelative = [.. all.Where(a => a.Filter.IsTimeRelative)];
        _byField = all
            .SelectMany(a => a.Filter.Fields.Select(f => (Field: f, Audience: a)))
            .GroupBy(x => x.Field, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(x => x.Audience).Distinct().ToArray(), StringComparer.Ordinal);
        // Every event moves a profile's times, so audiences reading them are re-evaluated on every change.
        _alwaysAffected = [.. all.Where(a => a.Filter.Fields.Overlaps(ProfileTimes))];
        if (all.Count <= 64)
        {
            var index = new Dictionary<CompiledAudience, int>(ReferenceEqualityComparer.Instance);
            for (var i = 0; i < all.Count; i++) index[all[i]] = i;
            _maskByField = _byField.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.Aggregate(0UL, (m, a) => m | (1UL << index[a])), StringComparer.Ordinal);
            _alwaysMask = _alwaysAffected.Aggregate(0UL, (m, a) => m | (1UL << index[a]));
        }
    }

    public IReadOnlyList<CompiledAudience> All { get; }

    public IReadOnlyDictionary<string, CompiledAudience> ById { get; }

    /// <summary>The audiences by the token documents and the feed name them by (<see cref="AudienceTokens"/>).</summary>
    public IReadOnlyDictionary<string, CompiledAudience> ByToken { get; }

    /// <summary>Audiences whose result can change with time alone (date math), for the partition's timers.</summary>
    public IReadOnlyList<CompiledAudience> TimeRelative { get; }

    /// <summary>Whether <see cref="AlwaysMask"/> and <see cref="MaskOf"/> stand for the audiences (at most 64 of them).</summary>
    public bool HasMasks => _maskByField is not null;

    /// <summary>The audiences every change re-evaluates, as bits over <see cref="All"/> (with <see cref="HasMasks"/>).</summary>
    public ulong AlwaysMask => _alwaysMask;

    /// <summary>The audiences that read a field, as bits over <see cref="All"/> (with <see cref="HasMasks"/>).</summary>
    public ulong MaskOf(string field) => _maskByField is { } masks && masks.TryGetValue(field, out var m) ? m : 0;

    /// <summary>The audiences a change to these fields can move a profile in or out of.</summary>
    public IEnumerable<CompiledAudience> AffectedBy(IEnumerable<string> changedFields) =>
        _maskByField is { } masks ? ByMask(masks, changedFields) : BySet(changedFields);

    private IEnumerable<CompiledAudience> ByMask(FrozenDictionary<string, ulong> masks, IEnumerable<string> changedFields)
    {
        var mask = _alwaysMask;
        foreach (var field in changedFields)
        {
            if (masks.TryGetValue(field, out var m)) mask |= m;
        }
        for (; mask != 0; mask &= mask - 1) yield return All[System.Numerics.BitOperations.TrailingZeroCount(mask)];
    }

    private IEnumerable<CompiledAudience> BySet(IEnumerable<string> changedFields)
    {
        var seen = new HashSet<CompiledAudience>(_alwaysAffected, ReferenceEqualityComparer.Instance);
        foreach (var a in _alwaysAffected) yield return a;
        foreach (var field in changedFields)
        {
            if (!_byField.TryGetValue(field, out var audiences)) continue;
            foreach (var a in audiences)
            {
                if (seen.Add(a)) yield return a;
            }
        }
    }
}
