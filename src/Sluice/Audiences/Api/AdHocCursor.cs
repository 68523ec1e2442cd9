using System.Globalization;

namespace Sluice.Audiences.Api;

/// <summary>
/// The <c>_next</c> of an ad-hoc scan: the last profile id read and the total counted on the first page
/// (<c>{id}-{total}</c>), so that later pages need not count again.
/// </summary>
internal static class AdHocCursor
{
    public static string Format(long afterId, long total) =>
        string.Create(CultureInfo.InvariantCulture, $"{afterId}-{total}");

    public static bool TryParse(string text, out long afterId, out long total)
    {
        total = -1;
        afterId = 0;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out afterId)
            && long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out total);
    }
}
