using System.Text.Json.Nodes;
using Sluice.Profiles;

namespace Sluice.Processing;

/// <summary>LATEST by event time; equal times break on the value's JSON text so that arrival order never matters.</summary>
internal static class FieldMerge
{
    public static bool ApplyLatest(ProfileDocument doc, string field, JsonNode? value, long timeMs)
    {
        if (doc.Fields.TryGetValue(field, out var current))
        {
            if (current.TimeMs > timeMs) return false;
            if (current.TimeMs == timeMs &&
                string.CompareOrdinal(current.Value?.ToJsonString(), value?.ToJsonString()) >= 0) return false;
        }
        doc.Fields[field] = new FieldEntry { Value = value?.DeepClone(), TimeMs = timeMs };
        return true;
    }
}
