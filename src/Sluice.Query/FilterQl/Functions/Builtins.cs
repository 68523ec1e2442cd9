using System.Net;
using Sluice.Query.FilterQl.Compilation;
using Sluice.Query.FilterQl.Syntax;
using Sluice.Query.Lql.Functions;
using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Functions;

/// <summary>
/// The functions FilterQL statements may call, with qlbridge's meaning. A function that cannot produce a value (no
/// input, an address that does not parse) produces null, which comparisons treat like a missing field.
/// </summary>
internal static class Builtins
{
    private sealed record Definition(int MinArgs, int MaxArgs, string Usage, Func<FunctionNode, Operand[], Producer> Build);

    private static readonly Dictionary<string, Definition> Table = new(StringComparer.OrdinalIgnoreCase)
    {
        ["tolower"] = Unary("tolower(text)", v => MapText(v, s => s.ToLowerInvariant())),
        ["string.lowercase"] = Unary("string.lowercase(text)", v => MapText(v, s => s.ToLowerInvariant())),
        ["toupper"] = Unary("toupper(text)", v => MapText(v, s => s.ToUpperInvariant())),
        ["string.uppercase"] = Unary("string.uppercase(text)", v => MapText(v, s => s.ToUpperInvariant())),
        ["email"] = Unary("email(text)", v => FirstText(v) is { } s && ParseEmail(s) is { } e ? Value.FromString(e) : Value.Null),
        ["emaildomain"] = Unary("emaildomain(text)", v => FirstText(v) is { } s && ParseEmail(s) is { } e ? Value.FromString(e[(e.IndexOf('@') + 1)..]) : Value.Null),
        ["domain"] = Unary("domain(url)", v => FirstText(v) is { } s && RegistrableDomain(s) is { } d ? Value.FromString(d) : Value.Null),
        ["len"] = Unary("len(value)", Length),
        ["char_length"] = Unary("char_length(value)", Length),
        ["exists"] = Unary("exists(value)", v => Value.FromBool(!v.IsNull)),
        ["count"] = Unary("count(value)", v => v.IsNull ? Value.Null : Value.FromLong(1)),
        ["hash.sha256"] = Unary("hash.sha256(value)", v => v.IsNull ? Value.Null : Value.FromString(TextFunctions.Sha256(Comparisons.Text(v))!)),
        ["contains"] = new(2, 2, "contains(text, part)", (_, a) => Binary(a, Contains)),
        ["oneof"] = new(2, int.MaxValue, "oneof(a, b, ...)", (_, a) => Variadic(a, OneOf)),
        ["sum"] = new(1, int.MaxValue, "sum(a, ...)", (_, a) => Variadic(a, Sum)),
        ["todate"] = new(1, 2, "todate([layout,] value)", (_, a) => ToDate(a)),
        ["timewindow"] = new(3, 3, "timewindow(field, threshold, days)", TimeWindow),
    };

    public static bool Exists(string name) => Table.ContainsKey(name);

    /// <summary>Compiles a call; unknown names and wrong argument counts are errors at the call's position.</summary>
    public static Producer Compile(FunctionNode node, Operand[] args)
    {
        if (!Table.TryGetValue(node.Name, out var definition))
        {
            throw new FilterQlException(node.Position, $"unknown function \"{node.Name}\"");
        }

        if (args.Length < definition.MinArgs || args.Length > definition.MaxArgs)
        {
            var expected = definition.MinArgs == definition.MaxArgs
                ? $"{definition.MinArgs}"
                : definition.MaxArgs == int.MaxValue ? $"at least {definition.MinArgs}" : $"{definition.MinArgs} to {definition.MaxArgs}";
            throw new FilterQlException(
                node.Position, $"{node.Name} expects {expected} argument{(expected == "1" ? string.Empty : "s")} ({definition.Usage}) but got {args.Length}");
        }

        return definition.Build(node, args);
    }

    /// <summary>The days of a <c>timewindow(field, threshold, days)</c> call, checked when compiling.</summary>
    public static (long Threshold, long Days) TimeWindowArguments(FunctionNode node, Operand[] args)
    {
        if (args[1].Constant is not { Kind: ValueKind.Long } threshold || threshold.AsLong() < 0)
        {
            throw new FilterQlException(node.Arguments[1].Position, "timewindow expects a whole number of events as its second argument");
        }

        if (args[2].Constant is not { Kind: ValueKind.Long } days || days.AsLong() <= 0 || days.AsLong() > 100_000)
        {
            throw new FilterQlException(node.Arguments[2].Position, "timewindow expects a positive whole number of days as its third argument");
        }

        return (threshold.AsLong(), days.AsLong());
    }

    /// <summary>The times a value holds: a date, a list or a map of timestamps, or text that reads as one.</summary>
    public static IEnumerable<DateTimeOffset> Times(Value v)
    {
        switch (v.Kind)
        {
            case ValueKind.StringList:
                foreach (var item in v.AsList())
                {
                    if (DateParser.Parse(item) is { } d)
                    {
                        yield return d;
                    }
                }

                break;
            case ValueKind.TimeMap:
                foreach (var t in v.AsTimeMap().Values)
                {
                    yield return t;
                }

                break;
            default:
                if (Comparisons.ToDate(v) is { } single)
                {
                    yield return single;
                }

                break;
        }
    }

    private static Definition Unary(string usage, Func<Value, Value> f) =>
        new(1, 1, usage, (_, a) =>
        {
            var arg = a[0].Produce;
            return (e, now) => f(arg(e, now));
        });

    private static Producer Binary(Operand[] a, Func<Value, Value, Value> f)
    {
        var x = a[0].Produce;
        var y = a[1].Produce;
        return (e, now) => f(x(e, now), y(e, now));
    }

    private static Producer Variadic(Operand[] a, Func<Value[], Value> f)
    {
        var producers = a.Select(o => o.Produce).ToArray();
        return (e, now) =>
        {
            var values = new Value[producers.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = producers[i](e, now);
            }

            return f(values);
        };
    }

    /// <summary>Text functions apply to each item of a list, so <c>tolower(tags) == "vip"</c> still tests every tag.</summary>
    private static Value MapText(Value v, Func<string, string> f) => v.Kind switch
    {
        ValueKind.Null or ValueKind.StringMap or ValueKind.IntMap or ValueKind.TimeMap => Value.Null,
        ValueKind.StringList => Value.FromList(v.AsList().Select(f)),
        _ => Value.FromString(f(Comparisons.Text(v))),
    };

    /// <summary>qlbridge reads only the first item of a list for single-value functions such as email and domain.</summary>
    private static string? FirstText(Value v) => v.Kind switch
    {
        ValueKind.String => v.AsString(),
        ValueKind.StringList => v.AsList().Count > 0 ? v.AsList()[0] : null,
        _ => null,
    };

    /// <summary>Accepts <c>Name &lt;addr&gt;</c> as well as a bare address; lower-cased like qlbridge's email().</summary>
    private static string? ParseEmail(string text)
    {
        var s = text.Trim();
        var open = s.LastIndexOf('<');
        if (open >= 0 && s.EndsWith('>'))
        {
            s = s[(open + 1)..^1];
        }

        return TextFunctions.Email(s);
    }

    // Second-level labels under which registrations happen one level down (example.co.uk). qlbridge consults the
    // full public suffix list; this covers the common country domains without shipping that list.
    private static readonly HashSet<string> SecondLevel = new(StringComparer.Ordinal)
    {
        "co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "gob", "mil", "nic", "ltd", "plc",
    };

    private static string? RegistrableDomain(string text)
    {
        var url = text.Trim().ToLowerInvariant();
        if (!url.StartsWith("http", StringComparison.Ordinal))
        {
            url = "http://" + url;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length <= 2)
        {
            return null;
        }

        var host = uri.Host.TrimEnd('.');
        if (IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            return null;
        }

        var labels = host.Split('.');
        if (labels.Length < 2 || labels.Any(l => l.Length == 0))
        {
            return null;
        }

        var take = labels.Length >= 3 && labels[^1].Length == 2 && SecondLevel.Contains(labels[^2]) ? 3 : 2;
        return string.Join('.', labels[^take..]);
    }

    private static Value Length(Value v) => v.Kind switch
    {
        ValueKind.Null => Value.Null,
        ValueKind.String => Value.FromLong(v.AsString().Length),
        ValueKind.StringList => Value.FromLong(v.AsList().Count),
        ValueKind.StringMap => Value.FromLong(v.AsStringMap().Count),
        ValueKind.IntMap => Value.FromLong(v.AsIntMap().Count),
        ValueKind.TimeMap => Value.FromLong(v.AsTimeMap().Count),
        _ => Value.FromLong(0),
    };

    private static Value Contains(Value text, Value part)
    {
        if (text.IsNull || part.IsNull)
        {
            return Value.False;
        }

        var s = Comparisons.Text(text);
        var p = Comparisons.Text(part);
        return Value.FromBool(s.Length > 0 && p.Length > 0 && s.Contains(p, StringComparison.Ordinal));
    }

    /// <summary>The first argument that has a value; an empty string counts as none, as in qlbridge.</summary>
    private static Value OneOf(Value[] values)
    {
        foreach (var v in values)
        {
            if (!v.IsNull && !(v.Kind == ValueKind.String && v.AsString().Length == 0))
            {
                return v;
            }
        }

        return Value.Null;
    }

    /// <summary>
    /// Adds numbers and numeric strings, including list items and the counts of an integer map. Words are skipped
    /// as in qlbridge, but a list item that is not a number spoils the sum.
    /// </summary>
    private static Value Sum(Value[] values)
    {
        var total = 0d;
        foreach (var v in values)
        {
            switch (v.Kind)
            {
                case ValueKind.Null:
                    break;
                case ValueKind.Long or ValueKind.Double:
                    total += v.AsDouble();
                    break;
                case ValueKind.String:
                    if (Coerce.ToNumber(v.AsString()) is { } n)
                    {
                        total += n.AsDouble();
                    }

                    break;
                case ValueKind.StringList:
                    foreach (var item in v.AsList())
                    {
                        if (Coerce.ToNumber(item) is not { } number)
                        {
                            return Value.Null;
                        }

                        total += number.AsDouble();
                    }

                    break;
                case ValueKind.IntMap:
                    foreach (var count in v.AsIntMap().Values)
                    {
                        total += count;
                    }

                    break;
                default:
                    return Value.Null;
            }
        }

        return Value.FromDouble(total);
    }

    private static Producer ToDate(Operand[] a)
    {
        if (a.Length == 1)
        {
            var arg = a[0].Produce;
            return (e, now) =>
            {
                var v = arg(e, now);
                if (v.Kind == ValueKind.String && DateMath.LooksLikeDateMath(v.AsString()))
                {
                    return DateMath.TryParse(v.AsString(), out _) is { } math ? Value.FromDate(math.Evaluate(now)) : Value.Null;
                }

                return Comparisons.ToDate(v) is { } d ? Value.FromDate(d) : Value.Null;
            };
        }

        var layout = a[0].Produce;
        var value = a[1].Produce;
        return (e, now) =>
        {
            var l = layout(e, now);
            var v = value(e, now);
            if (l.Kind != ValueKind.String || v.IsNull)
            {
                return Value.Null;
            }

            return DateParser.ParseExact(Comparisons.Text(v), l.AsString()) is { } d ? Value.FromDate(d) : Value.Null;
        };
    }

    /// <summary>
    /// <c>timewindow(field, n, days)</c>: true when at least n of the field's times fall within the last
    /// <c>days</c> days, that is in [now - days, now].
    /// </summary>
    private static Producer TimeWindow(FunctionNode node, Operand[] a)
    {
        var (threshold, days) = TimeWindowArguments(node, a);
        var times = a[0].Produce;
        var span = TimeSpan.FromDays(days);
        return (e, now) =>
        {
            var v = times(e, now);
            if (v.IsNull)
            {
                return Value.Null;
            }

            var from = now - span;
            long count = 0;
            foreach (var t in Times(v))
            {
                if (t >= from && t <= now)
                {
                    count++;
                }
            }

            return Value.FromBool(count >= threshold);
        };
    }
}
