using System.ComponentModel.DataAnnotations;

namespace Sluice.Collect;

/// <summary>Limits of the collect API (section <c>Sluice:Collect</c>).</summary>
internal sealed class CollectOptions
{
    /// <summary>Largest accepted request body of <c>/c</c> and <c>/collect/json</c>, in bytes.</summary>
    [Range(1, int.MaxValue)]
    public int MaxBodyBytes { get; set; } = 10 * 1024 * 1024;

    [Range(1, 1_000_000)]
    public int MaxEventsPerRequest { get; set; } = 10_000;
}
