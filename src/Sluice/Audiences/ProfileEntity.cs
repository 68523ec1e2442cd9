using Sluice.Profiles;
using Sluice.Query.FilterQl;
using Sluice.Query.Values;

namespace Sluice.Audiences;

/// <summary>
/// A decoded profile as FilterQL reads it: its fields' current values, plus the profile's own times
/// (<c>_created</c>, <c>_modified</c>, <c>_last_event</c>) and its event count (<c>_num_events</c>).
/// A field lookup is one binary search in the document's sorted field list.
/// </summary>
internal sealed class ProfileEntity(ProfileDocument doc, long createdMs, long modifiedMs, long lastEventMs) : IFilterEntity
{
    public bool TryGet(string field, out Value value)
    {
        var at = doc.Fields.IndexOfKey(field);
        if (at >= 0)
        {
            value = doc.Fields.GetValueAtIndex(at).Value.Value;
            return true;
        }
        value = field switch
        {
            "_created" => Value.FromDate(DateTimeOffset.FromUnixTimeMilliseconds(createdMs)),
            "_modified" => Value.FromDate(DateTimeOffset.FromUnixTimeMilliseconds(modifiedMs)),
            "_last_event" => Value.FromDate(DateTimeOffset.FromUnixTimeMilliseconds(lastEventMs)),
            "_num_events" => Value.FromLong(EventCount()),
            _ => Value.Null,
        };
        return !value.IsNull;
    }

    private long EventCount()
    {
        var counts = doc.EventsPerStream;
        var sum = 0L;
        for (var i = 0; i < counts.Count; i++) sum += counts.GetValueAtIndex(i);
        return sum;
    }
}
