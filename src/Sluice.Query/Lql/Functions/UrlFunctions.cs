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
}
