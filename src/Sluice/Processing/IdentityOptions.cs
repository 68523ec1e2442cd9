using System.ComponentModel.DataAnnotations;

namespace Sluice.Processing;

/// <summary>Guard rails of identity resolution (section <c>Sluice:Identity</c>).</summary>
internal sealed class IdentityOptions
{
    /// <summary>
    /// How many identity values of other keys may join a profile through one value before that value stops linking.
    /// A test address typed into thousands of sign-up forms then stays on its first profile instead of fusing everyone.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxLinksPerValue { get; set; } = 1_000;

    /// <summary>Per identity key overrides of <see cref="MaxLinksPerValue"/>, e.g. <c>{"email": 50}</c>.</summary>
    public Dictionary<string, int> MaxLinksPerKey { get; set; } = new(StringComparer.Ordinal);

    public int LimitFor(string key) => MaxLinksPerKey.TryGetValue(key, out var limit) ? limit : MaxLinksPerValue;
}
