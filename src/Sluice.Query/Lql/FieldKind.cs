namespace Sluice.Query.Lql;

/// <summary>The declared type of a profile field (LQL <c>KIND</c>).</summary>
public enum FieldKind
{
    String = 0,
    Int,
    Number,
    Bool,
    Date,
    StringList,
    StringMap,
    IntMap,
    TimeMap,
}
