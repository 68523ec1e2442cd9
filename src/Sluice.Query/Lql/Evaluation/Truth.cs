using Sluice.Query.Values;

namespace Sluice.Query.Lql.Evaluation;

/// <summary>How a value reads as a condition: records often carry booleans as "true", "t", "1" or "yes".</summary>
internal static class Truth
{
    public static bool IsTrue(Value value) => value.Kind switch
    {
        ValueKind.Bool => value.AsBool(),
        ValueKind.Long => value.AsLong() != 0,
        ValueKind.Double => value.AsDouble() != 0,
        ValueKind.String => ParseBool(value.AsString()) ?? false,
        ValueKind.Null => false,
        _ => !value.IsEmpty,
    };

    public static bool? ParseBool(string text)
    {
        var s = text.AsSpan().Trim();
        foreach (var yes in (ReadOnlySpan<string>)["true", "t", "1", "yes", "y"])
        {
            if (s.Equals(yes, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var no in (ReadOnlySpan<string>)["false", "f", "0", "no", "n"])
        {
            if (s.Equals(no, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return null;
    }
}
