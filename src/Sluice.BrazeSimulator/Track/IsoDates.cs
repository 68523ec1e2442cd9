using System.Globalization;
using System.Text.RegularExpressions;

namespace Sluice.BrazeSimulator.Track;

/// <summary>Braze takes dates only as ISO-8601; DateTimeOffset.TryParse alone would also take "1/2/2020".</summary>
internal static partial class IsoDates
{
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        return IsoPattern().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    public static bool IsDateOnly(string text) =>
        DateOnlyPattern().IsMatch(text)
        && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DateOnlyPattern();
}
