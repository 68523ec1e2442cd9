using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace Sluice.Collect;

/// <summary>Builds an event from key/value pairs (a pixel GET's query string or a form post), minus the reserved names.</summary>
internal static class KeyValueEvent
{
    public static byte[]? ToJson(IEnumerable<KeyValuePair<string, StringValues>> pairs)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            var any = false;
            foreach (var (name, values) in pairs)
            {
                if (CollectParameters.Reserved.Contains(name) || name.Length == 0) continue;
                any = true;
                if (values.Count == 1)
                {
                    w.WriteString(name, values[0]);
                }
                else
                {
                    w.WriteStartArray(name);
                    foreach (var v in values) w.WriteStringValue(v);
                    w.WriteEndArray();
                }
            }
            w.WriteEndObject();
            if (!any) return null;
        }
        return buffer.ToArray();
    }
}
