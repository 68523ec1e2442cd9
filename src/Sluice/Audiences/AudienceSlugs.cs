using System.Text;

namespace Sluice.Audiences;

/// <summary>
/// Audience slugs: lower-case letters, digits and underscores, as Lytics writes them, so that a slug can follow
/// <c>INCLUDE</c> without quoting and be sent to Braze as part of an attribute value unchanged.
/// </summary>
internal static class AudienceSlugs
{
    public const int MaxLength = 100;

    /// <summary>A slug made from a name: <c>"Recent Articles!"</c> gives <c>recent_articles</c>.</summary>
    public static string FromName(string name)
    {
        var slug = new StringBuilder(Math.Min(name.Length, MaxLength));
        foreach (var c in name.Trim().ToLowerInvariant())
        {
            if (slug.Length == MaxLength) break;
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '_') slug.Append('_');
        }
        return slug.ToString().TrimEnd('_');
    }

    /// <summary>Why a slug cannot be used, or null when it can.</summary>
    public static string? Problem(string slug)
    {
        if (slug.Length == 0) return "slug_name is empty";
        if (slug.Length > MaxLength) return $"slug_name is longer than {MaxLength} characters";
        if (!slug.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            return $"slug_name \"{slug}\" may hold only lower-case letters, digits and underscores";
        }
        // Audiences are addressed by id or slug on one route; a slug shaped like an id could shadow another audience.
        if (AudienceIds.IsShaped(slug)) return $"slug_name \"{slug}\" has the shape of an audience id";
        return null;
    }
}
