using Sluice.Profiles;
using Sluice.Query.FilterQl;

namespace Sluice.Audiences;

/// <summary>
/// Keeps a profile's audience set in step with its fields: re-evaluates the audiences a change can affect and turns
/// every difference into an enter or exit change. Runs in the processor's build phase, on every core, over the
/// document that was just built, so it costs no extra decode.
/// </summary>
internal static class MembershipEvaluation
{
    /// <param name="candidates">The audiences to evaluate: those the change can affect (<see cref="AccountAudiences.AffectedBy"/>), all of them for a new or merged profile.</param>
    public static void Evaluate(
        AccountAudiences audiences, ProfileDocument doc, IFilterEntity entity, IEnumerable<CompiledAudience> candidates, DateTimeOffset now,
        List<(string AudienceId, bool Entered)> changes)
    {
        if (doc.Audiences.Count > 0) LeaveDeleted(audiences, doc, changes);
        foreach (var audience in candidates)
        {
            var id = audience.Audience.Id;
            var member = audience.Filter.Matches(entity, now);
            if (member == doc.Audiences.Contains(id)) continue;
            if (member) doc.Audiences.Add(id);
            else doc.Audiences.Remove(id);
            changes.Add((id, member));
        }
    }

    /// <summary>The next instant at which date math alone could change the profile's membership in one of them, if any.</summary>
    public static long? NextFlip(AccountAudiences audiences, IFilterEntity entity, DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var audience in audiences.TimeRelative)
        {
            if (audience.Filter.NextFlip(entity, now) is { } at && (next is null || at < next)) next = at;
        }
        return next?.ToUnixTimeMilliseconds();
    }

    /// <summary>Memberships of audiences deleted since the profile was last evaluated end with an exit.</summary>
    private static void LeaveDeleted(AccountAudiences audiences, ProfileDocument doc, List<(string AudienceId, bool Entered)> changes)
    {
        List<string>? gone = null;
        foreach (var id in doc.Audiences)
        {
            if (!audiences.ById.ContainsKey(id)) (gone ??= []).Add(id);
        }
        foreach (var id in gone ?? [])
        {
            doc.Audiences.Remove(id);
            changes.Add((id, false));
        }
    }
}
