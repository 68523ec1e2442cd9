using Sluice.Audiences;
using Sluice.EventLog;
using Sluice.Profiles;
using Sluice.Query.Lql;

namespace Sluice.Processing;

/// <summary>
/// What one batch does to one profile, decided by identity resolution before any document is touched: the events that
/// land on it (with the identity values each adds), the profiles merged into it, and its timestamps. Documents are
/// then built for all profiles at once, on every core, which the merge operators allow: they give the same profile
/// whatever order events and merges are folded in.
/// </summary>
internal sealed class ProfileWork(long id, string accountId, CachedProfile? stored)
{
    private ProfileDocument? _storedDocument;

    public long Id { get; } = id;

    public string AccountId { get; } = accountId;

    /// <summary>The profile as it was before the batch; null for a profile the batch creates.</summary>
    public CachedProfile? Stored { get; } = stored;

    public long CreatedAtMs { get; set; } = stored?.CreatedAtMs ?? long.MaxValue;

    public long LastEventAtMs { get; set; } = stored?.LastEventAtMs ?? long.MinValue;

    // Room for one: most profiles get one event per batch (a burst of new people, a live batch), and four slots each
    // were tens of megabytes per million events.
    public List<(LoggedEvent Event, MappedRecord Mapped, List<(string Name, string Value)> Identities)> Events { get; } = new(1);

    /// <summary>Profiles merged into this one in the batch (created on the first merge: most profiles have none).</summary>
    public List<ProfileWork>? Absorbed { get; private set; }

    public bool Changed => Events.Count > 0 || Absorbed is not null;

    public void Absorb(ProfileWork loser) => (Absorbed ??= []).Add(loser);

    /// <summary>The stored document, decoded once (a merge needs its identity values before documents are built).</summary>
    public ProfileDocument StoredDocument => _storedDocument ??= Stored is null ? new ProfileDocument() : ProfileDocument.Deserialize(Stored.Doc);

    /// <summary>Every identity value this profile holds so far in the batch: stored, added by its events, and merged in.</summary>
    public IEnumerable<(string Name, string Value)> Identities()
    {
        foreach (var (name, values) in StoredDocument.Identities)
        {
            foreach (var value in values) yield return (name, value);
        }
        foreach (var (_, _, identities) in Events)
        {
            foreach (var identity in identities) yield return identity;
        }
        foreach (var loser in Absorbed ?? [])
        {
            foreach (var identity in loser.Identities()) yield return identity;
        }
    }

    /// <summary>Whether the batch's events bring the stored profile an identity value it did not have.</summary>
    public bool AddsIdentity()
    {
        var stored = StoredDocument.Identities;
        foreach (var (_, _, identities) in Events)
        {
            foreach (var (name, value) in identities)
            {
                if (!stored.TryGetValue(name, out var values) || !values.Contains(value)) return true;
            }
        }
        return false;
    }

    /// <summary>The fields the batch's events wrote, or null when every audience must be evaluated (a new or merged profile).</summary>
    public IEnumerable<string>? ChangedFields() =>
        Stored is null || Absorbed is not null ? null : Events.SelectMany(e => e.Mapped.Fields.Select(f => f.Name));

    /// <summary>
    /// For a stored profile that absorbed none: the audiences the batch's fields can affect, as bits over
    /// <see cref="AccountAudiences.All"/> (<see cref="AccountAudiences.HasMasks"/>); what <see cref="ChangedFields"/> gives
    /// <see cref="AccountAudiences.AffectedBy"/>, without the enumerators.
    /// </summary>
    public ulong AffectedMask(AccountAudiences account)
    {
        var mask = account.AlwaysMask;
        foreach (var (_, mapped, _) in Events)
        {
            var fields = mapped.Fields;
            for (var i = 0; i < fields.Count; i++) mask |= account.MaskOf(fields[i].Name);
        }
        return mask;
    }

    /// <summary>The profile after the batch: the stored document with the merged profiles and every event folded in.</summary>
    public ProfileDocument Build()
    {
        var doc = StoredDocument;
        if (Stored is null && doc.Fields.Capacity == 0)
        {
            // A new profile's field list, sized once for what its events write (growing it by doubling left garbage).
            var fields = 0;
            foreach (var (_, mapped, _) in Events) fields += mapped.Fields.Count;
            doc.Fields.Capacity = fields;
        }
        FoldInto(doc, this, own: true);
        return doc;
    }

    private static void FoldInto(ProfileDocument doc, ProfileWork work, bool own)
    {
        if (!own)
        {
            doc.Absorb(work.StoredDocument);
            doc.Merged.Add(work.Id);
        }
        foreach (var (e, mapped, identities) in work.Events)
        {
            foreach (var (name, value) in identities)
            {
                doc.AddIdentity(name, value);
                doc.AddSource(name, value, e.Stream);
            }
            // By index: a foreach over the interface would box an enumerator per event.
            var fields = mapped.Fields;
            for (var i = 0; i < fields.Count; i++)
            {
                var field = fields[i];
                doc.Apply(field.Name, field.MergeOp, field.ToFieldValue(e.EventTimeMs));
            }
            doc.CountEvent(e.Stream);
        }
        foreach (var loser in work.Absorbed ?? []) FoldInto(doc, loser, own: false);
    }
}
