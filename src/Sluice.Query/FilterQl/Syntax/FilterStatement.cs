using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Syntax;

/// <summary>
/// A parsed statement: <c>FILTER expr [FROM t] [LIMIT n] [WITH k=v, ...] [ALIAS slug]</c> or
/// <c>SELECT * FROM t WHERE expr ...</c>. It holds no compiled state and can be kept and compiled again.
/// </summary>
public sealed class FilterStatement
{
    internal FilterStatement(
        string text, FilterNode filter, string from, string? alias, IReadOnlyDictionary<string, Value> with, int? limit, bool isSelect)
    {
        Text = text;
        Filter = filter;
        From = from;
        Alias = alias;
        With = with;
        Limit = limit;
        IsSelect = isSelect;
    }

    /// <summary>The text the statement was parsed from.</summary>
    public string Text { get; }

    public FilterNode Filter { get; }

    /// <summary>The table after FROM, <c>user</c> when absent.</summary>
    public string From { get; }

    /// <summary>The slug after ALIAS, lower-cased as qlbridge does; null when absent.</summary>
    public string? Alias { get; }

    /// <summary>The <c>WITH</c> options (strings, numbers, booleans), keyed case-insensitively.</summary>
    public IReadOnlyDictionary<string, Value> With { get; }

    public int? Limit { get; }

    /// <summary>Whether the statement was written in the <c>SELECT * FROM t WHERE</c> form.</summary>
    public bool IsSelect { get; }

    /// <summary>The statement in the canonical <c>FILTER</c> form.</summary>
    public override string ToString() => FilterFormatter.Format(this);
}
