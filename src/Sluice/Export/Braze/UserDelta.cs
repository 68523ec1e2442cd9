using System.Text.Json.Nodes;

namespace Sluice.Export.Braze;

/// <summary>
/// What one profile needs Braze to change, from what Braze was last told for it and what it should hold now: the
/// values to add and remove under its identifier, and, when the identifier changed (or the profile is gone), the
/// removal of everything under the old one. <see cref="Told"/> is what Braze holds once the objects are delivered.
/// </summary>
internal sealed record UserDelta(IReadOnlyList<BrazeUserObject> Objects, ToldState? Told, bool SkippedNoId)
{
    /// <param name="identifier">The profile's identifier now; null when it has none or the profile is gone.</param>
    /// <param name="values">The attribute values it should hold now (sorted).</param>
    /// <param name="reassert">
    /// A reconcile: what Braze holds is unknown (it may have been changed behind Sluice's back), so a profile that is a
    /// member or was told something gets its whole array set, whatever the told state says.
    /// </param>
    /// <param name="mayHoldUnsaved">
    /// After a restart: a step may have sent this profile values whose told state was never saved. A profile in none of
    /// the job's audiences and told nothing as far as the store knows then has its array emptied too, but only on a
    /// user Braze already has, so that nobody is created for it.
    /// </param>
    public static UserDelta Compute(
        ToldState? before, string? identifier, IReadOnlyList<string> values, IReadOnlyDictionary<string, JsonNode?> fields, bool reassert = false, bool mayHoldUnsaved = false)
    {
        var objects = new List<BrazeUserObject>(2);
        var empty = new Dictionary<string, JsonNode?>();
        if (before is not null && before.Identifier != identifier && before.Values.Count > 0)
        {
            objects.Add(new BrazeUserObject(before.Identifier, [], before.Values, empty));
        }
        if (identifier is null)
        {
            // Sent as soon as the profile has an identifier; nothing is owed meanwhile.
            return new UserDelta(objects, null, SkippedNoId: values.Count > 0);
        }
        if (reassert && (values.Count > 0 || before is not null))
        {
            objects.Add(new BrazeUserObject(identifier, values, [], values.Count > 0 ? fields : empty, Replace: true));
            return new UserDelta(objects, new ToldState(identifier, values), false);
        }
        if (reassert && mayHoldUnsaved)
        {
            objects.Add(new BrazeUserObject(identifier, [], [], empty, Replace: true, UpdateExistingOnly: true));
            return new UserDelta(objects, null, false);
        }
        var baseline = before?.Identifier == identifier ? before.Values : [];
        var add = values.Except(baseline, StringComparer.Ordinal).ToList();
        var remove = baseline.Except(values, StringComparer.Ordinal).ToList();
        // A profile in none of the job's audiences and never told anything costs no call at all.
        if (add.Count > 0 || remove.Count > 0) objects.Add(new BrazeUserObject(identifier, add, remove, add.Count > 0 ? fields : empty));
        return new UserDelta(objects, values.Count > 0 || before is not null ? new ToldState(identifier, values) : null, false);
    }
}
