using System.Text.RegularExpressions;

namespace Sluice.Collect;

/// <summary>The query parameters of a collect request, as Lytics names them.</summary>
internal sealed partial record CollectParameters(bool DryRun, bool DropErrors, string? TimestampField, string? Filename)
{
    /// <summary>Query names that steer the request and are never part of an event.</summary>
    public static readonly HashSet<string> Reserved =
        new(["key", "access_token", "dryrun", "droperrors", "timestamp_field", "filename"], StringComparer.OrdinalIgnoreCase);

    public static CollectParameters From(IQueryCollection q) => new(
        Flag(q["dryrun"]), Flag(q["droperrors"]), NonEmpty(q["timestamp_field"]), NonEmpty(q["filename"]));

    /// <summary>The default: no option given (most webhooks), shared rather than built per request.</summary>
    private static readonly CollectParameters None = new(false, false, null, null);

    /// <summary>
    /// The parameters of a request, read from its raw query string when that needs no decoding and names none of
    /// them twice (a webhook's <c>?key=...</c>): the same values <see cref="From(IQueryCollection)"/> gives, without
    /// parsing every parameter into a collection and a string each (the token among them). Otherwise from the
    /// parsed collection.
    /// </summary>
    public static CollectParameters From(HttpRequest request)
    {
        var query = request.QueryString.Value;
        if (query is not { Length: > 1 }) return None;
        var raw = query.AsSpan(1);
        if (raw.ContainsAny('%', '+')) return From(request.Query);
        bool? dryRun = null, dropErrors = null;
        string? timestampField = null, filename = null;
        var seenTimestampField = false;
        var seenFilename = false;
        foreach (var range in raw.Split('&'))
        {
            var part = raw[range];
            if (part.IsEmpty) continue;
            var eq = part.IndexOf('=');
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? [] : part[(eq + 1)..];
            if (name.Equals("dryrun", StringComparison.OrdinalIgnoreCase))
            {
                if (dryRun is not null) return From(request.Query);
                dryRun = Flag(value);
            }
            else if (name.Equals("droperrors", StringComparison.OrdinalIgnoreCase))
            {
                if (dropErrors is not null) return From(request.Query);
                dropErrors = Flag(value);
            }
            else if (name.Equals("timestamp_field", StringComparison.OrdinalIgnoreCase))
            {
                if (seenTimestampField) return From(request.Query);
                seenTimestampField = true;
                timestampField = NonEmpty(value);
            }
            else if (name.Equals("filename", StringComparison.OrdinalIgnoreCase))
            {
                if (seenFilename) return From(request.Query);
                seenFilename = true;
                filename = NonEmpty(value);
            }
        }
        return dryRun is null && dropErrors is null && timestampField is null && filename is null
            ? None
            : new(dryRun ?? false, dropErrors ?? false, timestampField, filename);
    }

    /// <summary>Stream names become URL segments, file names and mapping names: keep them plain.</summary>
    public static bool IsValidStream(string stream) => StreamName().IsMatch(stream);

    private static bool Flag(string? v) => v is not null && (v.Length == 0 || v is "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("t", StringComparison.OrdinalIgnoreCase));

    private static string? NonEmpty(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();

    private static bool Flag(ReadOnlySpan<char> v) =>
        v.Length == 0 || v is "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("t", StringComparison.OrdinalIgnoreCase);

    private static string? NonEmpty(ReadOnlySpan<char> v) => v.Trim() is { IsEmpty: false } t ? t.ToString() : null;

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex StreamName();
}
