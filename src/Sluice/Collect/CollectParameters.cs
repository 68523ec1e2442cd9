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

    /// <summary>Stream names become URL segments, file names and mapping names: keep them plain.</summary>
    public static bool IsValidStream(string stream) => StreamName().IsMatch(stream);

    private static bool Flag(string? v) => v is not null && (v.Length == 0 || v is "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("t", StringComparison.OrdinalIgnoreCase));

    private static string? NonEmpty(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex StreamName();
}
