using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using System.Web;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Functions;

/// <summary>
/// qlbridge's URL functions. A URL without a scheme (<c>www.site.com/a?b=1</c>, as Lytics' tag sends it) is read as
/// <c>http://</c>. Values that are not URLs give null, so the column is skipped.
/// </summary>
internal static class UrlFunctions
{
    public static Uri? Parse(string text)
    {
        var t = text.Trim();
        if (t.Length == 0) return null;
        if (!t.Contains("://", StringComparison.Ordinal)) t = "http://" + t.TrimStart('/');
        return Uri.TryCreate(t, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri : null;
    }

    /// <summary><c>qs(url, param)</c>: one query parameter, decoded (<c>+</c> is a space).</summary>
    public static Value Qs(Value url, Value name)
    {
        if (url.IsEmpty || name.IsEmpty) return Value.Null;
        var text = url.ToString();
        var q = text.IndexOf('?', StringComparison.Ordinal);
        if (q < 0) return Value.Null;
        var query = HttpUtility.ParseQueryString(text[(q + 1)..]);
        return Value.FromString(query[name.ToString()]);
    }

    public static string? Host(string text) => Parse(text)?.Host.ToLowerInvariant();

    /// <summary>The registered domain: the host's last two labels (three when the second-level label is short, as in <c>co.uk</c>).</summary>
    public static string? Domain(string text)
    {
        if (Host(text) is not { } host) return null;
        var labels = host.Split('.');
        if (labels.Length <= 2) return host;
        var take = labels[^2].Length <= 3 && labels[^1].Length == 2 ? 3 : 2;
        return string.Join('.', labels[^Math.Min(take, labels.Length)..]);
    }

    public static string? Path(string text) => Parse(text)?.AbsolutePath;

    /// <summary><c>urlmain</c>: host and path, without scheme or query.</summary>
    public static string? UrlMain(string text) => Parse(text) is { } u ? u.Host.ToLowerInvariant() + u.AbsolutePath : null;

    /// <summary><c>urlminusqs</c>: the URL as given, without its query string.</summary>
    public static string? UrlMinusQs(string text)
    {
        var q = text.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? text : text[..q];
    }

    public static string? UrlDecode(string text) => HttpUtility.UrlDecode(text);

    /// <summary>Compiled <c>url.matchqs</c> patterns; mappings use a handful, so a small bound is plenty.</summary>
    private static readonly ConcurrentDictionary<string, Regex?> Patterns = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>url.matchqs(url, pattern, ...)</c>: host and path, with only the query parameters whose names match one of
    /// the patterns (regular expressions, found anywhere in the name), sorted by name. A list takes its first item.
    /// </summary>
    public static Value MatchQs(Value[] args)
    {
        var first = args[0].Kind == ValueKind.StringList ? args[0].ListArray.FirstOrDefault() : args[0].IsEmpty ? null : args[0].ToString();
        if (first is null || Parse(first) is not { } uri || first.Contains(' ', StringComparison.Ordinal)) return Value.Null;
        var main = uri.Host.ToLowerInvariant() + (uri.AbsolutePath == "/" && !first.TrimEnd().EndsWith('/') ? "" : uri.AbsolutePath);
        var patterns = args[1..].Select(a => Pattern(a.ToString())).OfType<Regex>().ToList();
        if (patterns.Count == 0 || uri.Query.Length <= 1) return Value.FromString(main);
        var query = HttpUtility.ParseQueryString(uri.Query[1..]);
        var kept = query.AllKeys.OfType<string>().Where(k => patterns.Any(p => p.IsMatch(k))).Order(StringComparer.Ordinal)
            .SelectMany(k => query.GetValues(k)!.Select(v => Uri.EscapeDataString(k) + "=" + Uri.EscapeDataString(v)))
            .ToList();
        return Value.FromString(kept.Count == 0 ? main : main + "?" + string.Join('&', kept));
    }

    /// <summary>A pattern as a regular expression that cannot backtrack; an invalid one matches nothing.</summary>
    private static Regex? Pattern(string pattern)
    {
        if (Patterns.TryGetValue(pattern, out var cached)) return cached;
        Regex? regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            regex = null;
        }
        if (Patterns.Count < 1000) Patterns[pattern] = regex;
        return regex;
    }
}
