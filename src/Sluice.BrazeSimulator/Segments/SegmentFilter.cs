using System.Globalization;
using System.Text.Json.Serialization;
using Sluice.BrazeSimulator.Store;

namespace Sluice.BrazeSimulator.Segments;

/// <summary>Which simulator users a segment (or a campaign, or <c>/sim/users</c>) selects. No attribute selects
/// everyone; an attribute alone selects users that have it; <see cref="Contains"/> matches one element of an array
/// attribute or the whole value of a scalar one; <see cref="EqualTo"/> matches the whole value.</summary>
internal sealed record SegmentFilter(
    [property: JsonPropertyName("attribute")] string? Attribute = null,
    [property: JsonPropertyName("contains")] string? Contains = null,
    [property: JsonPropertyName("equals")] string? EqualTo = null)
{
    public static readonly SegmentFilter All = new();

    public bool Matches(SimUser user)
    {
        if (string.IsNullOrEmpty(Attribute))
        {
            return true;
        }

        var value = Attribute switch
        {
            "external_id" or "user_id" => user.ExternalId,
            "braze_id" => user.BrazeId,
            _ => user.Attributes.GetValueOrDefault(Attribute),
        };
        if (value is null)
        {
            return false;
        }

        if (Contains is not null)
        {
            return value is List<object> list
                ? list.Any(v => string.Equals(Text(v), Contains, StringComparison.Ordinal))
                : string.Equals(Text(value), Contains, StringComparison.Ordinal);
        }

        return EqualTo is null || string.Equals(Text(value), EqualTo, StringComparison.Ordinal);
    }

    internal static string Text(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
