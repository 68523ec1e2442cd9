using System.Text;

namespace Sluice.Hosting;

/// <summary>
/// Keeps secrets and personal data out of the text that goes to logs. A query string keeps its parameter names;
/// values are dropped unless the parameter is one of Sluice's own options, whose values are never personal. A pixel
/// request's query string is the event itself (<c>?email=...</c>), and tokens travel as <c>?key=</c>, so dropping
/// by default is the only safe rule.
/// </summary>
internal static class Redaction
{
    /// <summary>Options whose values are settings, not data (secrets such as <c>key</c> are deliberately absent).</summary>
    private static readonly HashSet<string> KeptValues = new(
        ["dryrun", "droperrors", "timestamp_field", "delimiter", "fields", "segments", "explain", "alias", "from"],
        StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KeptValuesLookup = KeptValues.GetAlternateLookup<ReadOnlySpan<char>>();

    public const string Mask = "REDACTED";

    /// <summary>How every Sluice token begins (see <c>TokenSecret</c>).</summary>
    private const string TokenPrefix = "slc_";

    /// <summary>
    /// A URL path with every segment that holds a token replaced by <see cref="Mask"/>: Lytics' CLI puts the key in
    /// the path (<c>/api/account/{key}</c>), so a path is no safer to log than a query string.
    /// </summary>
    public static string Path(PathString path)
    {
        var text = path.Value ?? "";
        if (!text.Contains(TokenPrefix, StringComparison.OrdinalIgnoreCase)) return text;
        var segments = text.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i].Contains(TokenPrefix, StringComparison.OrdinalIgnoreCase)) segments[i] = Mask;
        }
        return string.Join('/', segments);
    }

    /// <summary>
    /// The query string with every value outside <see cref="KeptValues"/> replaced by <see cref="Mask"/>. Works on the
    /// raw (still encoded) text in one pass: this runs for every request. A name that is itself encoded keeps its
    /// encoding and loses its value.
    /// </summary>
    public static string Query(QueryString query)
    {
        if (!query.HasValue || query.Value!.Length <= 1) return "";
        var raw = query.Value.AsSpan(1);
        var result = new StringBuilder(raw.Length + 16);
        foreach (var range in raw.Split('&'))
        {
            var part = raw[range];
            if (part.IsEmpty) continue;
            result.Append(result.Length == 0 ? '?' : '&');
            var eq = part.IndexOf('=');
            var name = eq < 0 ? part : part[..eq];
            if (eq < 0 || KeptValuesLookup.Contains(name)) result.Append(part);
            else result.Append(name).Append('=').Append(Mask);
        }
        return result.ToString();
    }
}
