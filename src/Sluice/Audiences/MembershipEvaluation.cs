using Sluice.Profiles;
using Sluice.Query.FilterQl;

namespace Sluice.Audiences;

/// <summary>
/// Keeps a profile's audience set in step with its fields: re-evaluates the audiences a change can affect and turns
/// every difference into an enter or exit change. Runs in the processor's build phase, on every core, over the
/// document that was just built, so it costs no extra decode. The document and the changes name audiences by token
/// (<see cref="AudienceTokens"/>).
/// </summary>
internal static class MembershipEvaluation
{
    /// <param name="candidates">The audiences to evaluate: those the change can affect (<see cref="AccountAudiences.AffectedBy"/>), all of them for a new or merged profile.</param>
    public static void Evaluate(
        AccountAudiences audiences, ProfileDocument doc, IFilterEntity entity, IEnumerable<CompiledAudience> candidates, DateTimeOffset now,
        List<(string AudienceId, bool Entered)> changes)
    {
        if (doc.Audiences.Count > 0) Reconcile(audiences, doc, changes);
        if (candidates is IReadOnlyList<CompiledAudience> list)
        {
            // By index: a foreach over the interface would box an enumerator per profile.
            for (var i = 0; i < list.Count; i++) EvaluateOne(list[i], doc, entity, now, changes);
            return;
        }
        foreach (var audience in candidates) EvaluateOne(audience, doc, entity, now, changes);
    }

    /// <summary>
    /// <see cref="Evaluate(AccountAudiences, ProfileDocument, IFilterEntity, IEnumerable{CompiledAudience}, DateTimeOffset, List{ValueTuple{string, bool}})"/>
    /// for the audiences of a bit mask over <see cref="AccountAudiences.All"/> (<see cref="AccountAudiences.HasMasks"/>),
    /// in the same order, with no enumerator.
    /// </summary>
    public static void Evaluate(
        AccountAudiences audiences, ProfileDocument doc, IFilterEntity entity, ulong candidates, DateTimeOffset now,
        List<(string AudienceId, bool Entered)> changes)
    {
        if (doc.Audiences.Count > 0) Reconcile(audiences, doc, changes);
        for (; candidates != 0; candidates &= candidates - 1)
        {
            EvaluateOne(audiences.All[System.Numerics.BitOperations.TrailingZeroCount(candidates)], doc, entity, now, changes);
        }
    }

    private static void EvaluateOne(CompiledAudience audience, ProfileDocument doc, IFilterEntity entity, DateTimeOffset now, List<(string AudienceId, bool Entered)> changes)
    {
        var token = audience.Token;
        var member = audience.Filter.Matches(entity, now);
        if (member == doc.Audiences.Contains(token)) return;
        if (member) doc.Audiences.Add(token);
        else doc.Audiences.Remove(token);
        changes.Add((token, member));
    }

    /// <summary>The next instant at which date math alone could change the profile's membership in one of them, if any.</summary>
    public static long? NextFlip(AccountAudiences audiences, IFilterEntity entity, DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        var timeRelative = audiences.TimeRelative;
        for (var i = 0; i < timeRelative.Count; i++)
        {
            if (timeRelative[i].Filter.NextFlip(entity, now) is { } at && (next is null || at < next)) next = at;
        }
        return next?.ToUnixTimeMilliseconds();
    }

    /// <summary>
    /// Memberships of audiences deleted since the profile was last evaluated end with an exit. A membership recorded
    /// by id, before its audience had a number, is the same membership under its number from now on: renamed, with
    /// no change (readers of documents and of the feed take both).
    /// </summary>
    private static void Reconcile(AccountAudiences audiences, ProfileDocument doc, List<(string AudienceId, bool Entered)> changes)
    {
        List<string>? gone = null;
        List<(string Id, string Token)>? renamed = null;
        foreach (var token in doc.Audiences)
        {
            if (audiences.ByToken.ContainsKey(token)) continue;
            if (AudienceTokens.IsId(token) && audiences.ById.TryGetValue(token, out var audience)) (renamed ??= []).Add((token, audience.Token));
            else (gone ??= []).Add(token);
        }
        foreach (var (id, token) in renamed ?? [])
        {
            doc.Audiences.Remove(id);
            doc.Audiences.Add(token);
        }
        foreach (var token in gone ?? [])
        {
            doc.Audiences.Remove(token);
            changes.Add((token, false));
        }
    }
}
