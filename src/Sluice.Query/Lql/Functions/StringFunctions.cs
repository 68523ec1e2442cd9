using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Functions;

/// <summary>qlbridge's string, hash and encoding functions.</summary>
internal static class StringFunctions
{
    public static Value Contains(Value text, Value part) =>
        text.IsNull || part.IsNull ? Value.Null : Value.FromBool(text.ToString().Contains(part.ToString(), StringComparison.Ordinal));

    public static Value HasPrefix(Value text, Value prefix) =>
        text.IsNull || prefix.IsNull ? Value.Null : Value.FromBool(text.ToString().StartsWith(prefix.ToString(), StringComparison.Ordinal));

    public static Value HasSuffix(Value text, Value suffix) =>
        text.IsNull || suffix.IsNull ? Value.Null : Value.FromBool(text.ToString().EndsWith(suffix.ToString(), StringComparison.Ordinal));

    /// <summary><c>split(text, sep)</c>: a list, blank items dropped.</summary>
    public static Value Split(Value text, Value separator)
    {
        if (text.IsEmpty || separator.IsNull) return Value.Null;
        var sep = separator.ToString();
        var parts = sep.Length == 0 ? [text.ToString()] : text.ToString().Split(sep, StringSplitOptions.RemoveEmptyEntries);
        return Value.FromList(parts);
    }

    /// <summary><c>replace(text, old[, new])</c>: every occurrence; without <c>new</c> it is removed.</summary>
    public static Value Replace(Value[] args)
    {
        if (args[0].IsNull || args[1].IsEmpty) return args[0];
        return Value.FromString(args[0].ToString().Replace(args[1].ToString(), args.Length > 2 ? args[2].ToString() : "", StringComparison.Ordinal));
    }

    /// <summary><c>join(a, b, ..., sep)</c>: the values (lists flattened) joined by the last argument.</summary>
    public static Value Join(Value[] args)
    {
        var sep = args[^1].ToString();
        var items = args[..^1].SelectMany(a => a.Kind == ValueKind.StringList ? a.ListArray : a.IsEmpty ? [] : [a.ToString()]).ToList();
        return items.Count == 0 ? Value.Null : Value.FromString(string.Join(sep, items));
    }

    /// <summary><c>len(x)</c>: characters of a string, items of a list or map.</summary>
    public static Value Length(Value value) => value.Kind switch
    {
        ValueKind.Null => Value.Null,
        ValueKind.StringList => Value.FromLong(value.ListArray.Length),
        ValueKind.StringMap => Value.FromLong(value.AsStringMap().Count),
        ValueKind.IntMap => Value.FromLong(value.AsIntMap().Count),
        ValueKind.TimeMap => Value.FromLong(value.AsTimeMap().Count),
        _ => Value.FromLong(value.ToString().Length),
    };

    public static Value ToText(Value value) => value.IsNull ? Value.Null : Value.FromString(value.ToString());

    public static string? TitleCase(string text) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(text.ToLowerInvariant());

    public static string? EmailName(string text) => TextFunctions.Email(text) is { } email ? email[..email.IndexOf('@')] : null;

    public static string? Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    public static string? Sha1(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));

    public static string? Sha512(string text) => Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(text)));

    public static string? B64Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static string? B64Decode(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var n) ? Encoding.UTF8.GetString(buffer, 0, n) : null;
    }
}
