using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Query.Values;

public readonly partial struct Value
{
    private const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    /// <summary>
    /// The value as plain text: strings as they are, numbers and dates in invariant ISO form, lists and maps
    /// in a stable form. Distinct values of one kind render distinctly, which the identity index relies on.
    /// </summary>
    public override string ToString() => Kind switch
    {
        ValueKind.Null => string.Empty,
        ValueKind.String => (string)_ref!,
        ValueKind.Long => _bits.ToString(CultureInfo.InvariantCulture),
        ValueKind.Double => AsDouble().ToString("R", CultureInfo.InvariantCulture),
        ValueKind.Bool => _bits != 0 ? "true" : "false",
        ValueKind.Date => FormatDate(AsDate()),
        _ => CanonicalText(),
    };

    public static string FormatDate(DateTimeOffset date) =>
        date.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Plain JSON for the API: strings, numbers, booleans, ISO dates, arrays and objects.</summary>
    public JsonNode? ToJsonNode()
    {
        switch (Kind)
        {
            case ValueKind.Null:
                return null;
            case ValueKind.String:
                return JsonValue.Create((string)_ref!);
            case ValueKind.Long:
                return JsonValue.Create(_bits);
            case ValueKind.Double:
                return JsonValue.Create(AsDouble());
            case ValueKind.Bool:
                return JsonValue.Create(_bits != 0);
            case ValueKind.Date:
                return JsonValue.Create(FormatDate(AsDate()));
            case ValueKind.StringList:
                var array = new JsonArray();
                foreach (var item in ListArray)
                {
                    array.Add(JsonValue.Create(item));
                }

                return array;
            case ValueKind.StringMap:
                return ToObject(AsStringMap(), v => JsonValue.Create(v));
            case ValueKind.IntMap:
                return ToObject(AsIntMap(), v => JsonValue.Create(v));
            default:
                return ToObject(AsTimeMap(), v => JsonValue.Create(FormatDate(v)));
        }
    }

    private static JsonObject ToObject<T>(IReadOnlyDictionary<string, T> map, Func<T, JsonNode> convert)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map)
        {
            obj[key] = convert(value);
        }

        return obj;
    }

    /// <summary>Lists and maps as one string: unit and record separators cannot clash with ordinary text.</summary>
    internal string CanonicalText()
    {
        var sb = new StringBuilder();
        switch (Kind)
        {
            case ValueKind.StringList:
                AppendJoined(sb, ListArray);
                break;
            case ValueKind.StringMap:
                AppendMap(sb, AsStringMap(), v => v);
                break;
            case ValueKind.IntMap:
                AppendMap(sb, AsIntMap(), v => v.ToString(CultureInfo.InvariantCulture));
                break;
            case ValueKind.TimeMap:
                AppendMap(sb, AsTimeMap(), FormatDate);
                break;
            default:
                return ToString();
        }

        return sb.ToString();
    }

    private static void AppendJoined(StringBuilder sb, string[] items)
    {
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('\u001e');
            }

            sb.Append(items[i]);
        }
    }

    private static void AppendMap<T>(StringBuilder sb, IReadOnlyDictionary<string, T> map, Func<T, string> render)
    {
        var first = true;
        foreach (var (key, value) in map)
        {
            if (!first)
            {
                sb.Append('\u001e');
            }

            first = false;
            sb.Append(key).Append('\u001f').Append(render(value));
        }
    }
}
