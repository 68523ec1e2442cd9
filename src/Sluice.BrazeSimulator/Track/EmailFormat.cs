using System.Text.RegularExpressions;

namespace Sluice.BrazeSimulator.Track;

/// <summary>A pragmatic address check: one @, no spaces, a dotted domain. Braze's own rule is not published.</summary>
internal static partial class EmailFormat
{
    public static bool IsValid(string email) => email.Length <= 255 && Pattern().IsMatch(email);

    [GeneratedRegex(@"^[^@\s""<>,;]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
