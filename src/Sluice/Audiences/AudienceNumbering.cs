namespace Sluice.Audiences;

/// <summary>
/// An account's audience numbers, deleted audiences included (a number is never given to another audience, so a
/// document or feed entry that still names a deleted one is never read as a member of a new one): turns the tokens of
/// documents and feed entries (<see cref="AudienceTokens"/>) back into audience ids.
/// </summary>
internal sealed class AudienceNumbering(IReadOnlyDictionary<int, string> idByNumber)
{
    /// <summary>The audience id a token stands for; null for a number the account never gave out.</summary>
    public string? IdOf(string token) =>
        AudienceTokens.TryNumber(token, out var number) ? idByNumber.GetValueOrDefault(number) : AudienceTokens.IsId(token) ? token : null;
}
