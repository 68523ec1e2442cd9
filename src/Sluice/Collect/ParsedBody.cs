namespace Sluice.Collect;

/// <summary>The events of a body as slices of the original bytes (one JSON object each), in order.</summary>
internal sealed class ParsedBody
{
    public List<ReadOnlyMemory<byte>> Events { get; } = [];

    /// <summary>Elements that are not objects, by index; refused unless the caller asked to drop errors.</summary>
    public List<string> Rejections { get; } = [];
}
