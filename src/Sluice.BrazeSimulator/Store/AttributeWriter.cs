using Sluice.BrazeSimulator.Track;

namespace Sluice.BrazeSimulator.Store;

/// <summary>Braze's attribute semantics on one profile. Callers hold the store lock.</summary>
internal static class AttributeWriter
{
    public static void Apply(SimUser user, AttributeUpdate update, BrazeSimulatorOptions options)
    {
        switch (update)
        {
            case SetAttribute { Value: null } set:
                user.Attributes.Remove(set.Name);
                break;
            case SetAttribute { Value: List<object> values } set:
                // A bare array replaces the value, still as a set and still capped.
                var replaced = new List<object>(values.Count);
                AddAll(replaced, values);
                user.Attributes[set.Name] = Cap(replaced, options);
                break;
            case SetAttribute set:
                user.Attributes[set.Name] = set.Value;
                break;
            case ModifyArray modify:
                var current = user.Attributes.TryGetValue(modify.Name, out var existing) && existing is List<object> list
                    ? list
                    : [];
                if (options.RemoveBeforeAdd)
                {
                    RemoveAll(current, modify.Remove);
                    AddAll(current, modify.Add);
                }
                else
                {
                    AddAll(current, modify.Add);
                    RemoveAll(current, modify.Remove);
                }

                user.Attributes[modify.Name] = Cap(current, options);
                break;
            case MergeNested nested:
                var target = user.Attributes.TryGetValue(nested.Name, out var old) && old is Dictionary<string, object> dict
                    ? dict
                    : new Dictionary<string, object>(StringComparer.Ordinal);
                Merge(target, nested.Patch);
                user.Attributes[nested.Name] = target;
                break;
        }
    }

    // Set semantics: a value already present is moved to the end rather than duplicated.
    private static void AddAll(List<object> target, IReadOnlyList<object> values)
    {
        foreach (var value in values)
        {
            target.Remove(value);
            target.Add(value);
        }
    }

    private static void RemoveAll(List<object> target, IReadOnlyList<object> values)
    {
        foreach (var value in values)
        {
            target.RemoveAll(v => v.Equals(value));
        }
    }

    // Braze truncates silently: no error, no flag in the response.
    private static List<object> Cap(List<object> values, BrazeSimulatorOptions options)
    {
        if (values.Count <= options.ArrayCap)
        {
            return values;
        }

        var excess = values.Count - options.ArrayCap;
        values.RemoveRange(options.ArrayOverflow == ArrayOverflow.KeepFirst ? options.ArrayCap : 0, excess);
        return values;
    }

    private static void Merge(Dictionary<string, object> target, Dictionary<string, object?> patch)
    {
        foreach (var (key, value) in patch)
        {
            switch (value)
            {
                case null:
                    target.Remove(key);
                    break;
                case Dictionary<string, object?> child:
                    var inner = target.TryGetValue(key, out var old) && old is Dictionary<string, object> d
                        ? d
                        : new Dictionary<string, object>(StringComparer.Ordinal);
                    Merge(inner, child);
                    target[key] = inner;
                    break;
                default:
                    target[key] = value;
                    break;
            }
        }
    }
}
