using System.Diagnostics.CodeAnalysis;

namespace Sluice.Auth;

/// <summary>The expiry choices of the console (7, 30, 90 days or never), also accepted as any <c>Nd</c>.</summary>
internal static class TokenExpiry
{
    public static bool TryParse(string? text, [NotNullWhen(false)] out string? error, out TimeSpan? lifetime)
    {
        lifetime = null;
        error = null;
        var t = (text ?? "never").Trim().ToLowerInvariant();
        if (t is "never" or "none" or "") return true;
        if (t.EndsWith('d') && int.TryParse(t.AsSpan(0, t.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days) && days is > 0 and <= 3650)
        {
            lifetime = TimeSpan.FromDays(days);
            return true;
        }
        error = $"expires must be \"7d\", \"30d\", \"90d\", \"never\" or a number of days like \"45d\"; got \"{text}\"";
        return false;
    }
}
