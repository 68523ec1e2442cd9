using Sluice.Query.Values;

namespace Sluice.Query.Lql.Functions;

/// <summary>Lifts text functions over values: lists are mapped item by item, dropping items that become null.</summary>
internal static class Lift
{
    public static Func<Value, Value> Text(Func<string, string?> function) => value =>
    {
        switch (value.Kind)
        {
            case ValueKind.Null:
                return Value.Null;
            case ValueKind.StringList:
                var items = value.ListArray;
                var result = new List<string>(items.Length);
                foreach (var item in items)
                {
                    if (function(item) is { Length: > 0 } mapped)
                    {
                        result.Add(mapped);
                    }
                }

                return Value.FromOwnedArray([.. result]);
            default:
                return Value.FromString(function(value.ToString()));
        }
    };
}
