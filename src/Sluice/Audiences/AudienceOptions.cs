namespace Sluice.Audiences;

/// <summary>Audiences (section <c>Sluice:Audiences</c>).</summary>
internal sealed class AudienceOptions
{
    /// <summary>Whether every account gets the default audiences (all, known, anonymous, new).</summary>
    public bool CreateDefaults { get; set; } = true;
}
