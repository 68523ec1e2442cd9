using Sluice.Query.FilterQl;

namespace Sluice.Audiences;

/// <summary>How an attempt to create, change or delete an audience ended; nothing is saved unless it is <see cref="EditOutcome.Saved"/>.</summary>
internal sealed record AudienceEdit(EditOutcome Outcome, Audience? Audience = null, string? Message = null, FilterQlException? Error = null)
{
    public static AudienceEdit Saved(Audience audience) => new(EditOutcome.Saved, audience);

    public static AudienceEdit NotFound(string idOrSlug) => new(EditOutcome.NotFound, Message: $"no segment with id or slug \"{idOrSlug}\"");

    public static AudienceEdit Invalid(string message) => new(EditOutcome.Invalid, Message: message);

    public static AudienceEdit Invalid(FilterQlException error, string? context = null) =>
        new(EditOutcome.Invalid, Message: $"invalid FilterQL: {context}{error.Message}", Error: error);

    public static AudienceEdit Conflict(string message) => new(EditOutcome.Conflict, Message: message);
}

internal enum EditOutcome
{
    Saved,
    NotFound,
    Invalid,
    Conflict,
}
