using System.Collections.Concurrent;

namespace Sluice.BrazeSimulator.Segments;

/// <summary>Named segments; "all" always exists and selects every user.</summary>
internal sealed class SegmentRegistry
{
    public const string AllUsers = "all";
    private readonly ConcurrentDictionary<string, SegmentFilter> _segments = new(StringComparer.Ordinal);

    public SegmentRegistry() => _segments[AllUsers] = SegmentFilter.All;

    public void Define(string name, SegmentFilter filter) => _segments[name] = filter;

    public SegmentFilter? Find(string name) => _segments.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, SegmentFilter> All => _segments.ToDictionary(StringComparer.Ordinal);
}

/// <summary>Body of <c>POST /sim/segments</c>.</summary>
internal sealed record SegmentDefinition(
    string Name,
    string? Attribute,
    string? Contains,
    [property: System.Text.Json.Serialization.JsonPropertyName("equals")] string? EqualTo);
