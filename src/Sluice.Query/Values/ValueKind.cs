namespace Sluice.Query.Values;

/// <summary>The shapes a mapped or stored field value can take.</summary>
public enum ValueKind
{
    Null = 0,
    Bool,
    Long,
    Double,
    Date,
    String,
    StringList,
    StringMap,
    IntMap,
    TimeMap,
}
