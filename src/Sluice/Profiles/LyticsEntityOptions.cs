namespace Sluice.Profiles;

/// <summary>How the entity API answers for a profile it cannot find (section <c>Sluice:Entity</c>).</summary>
internal sealed class LyticsEntityOptions
{
    /// <summary>
    /// False (the default): 404 with the JSON error envelope. True: Lytics' answer, 200 with
    /// <c>"message":"Not Found"</c> and <c>segments: ["not_found","all"]</c>, which lytics-js reads as "no such
    /// entity" and its other clients as an empty profile. For teams whose scripts test for Lytics' answer.
    /// </summary>
    public bool MissingAnswersOk { get; set; }
}
