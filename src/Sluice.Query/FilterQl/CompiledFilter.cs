using System.Collections.Frozen;
using Sluice.Query.FilterQl.Compilation;
using Sluice.Query.FilterQl.Syntax;

namespace Sluice.Query.FilterQl;

/// <summary>
/// A statement compiled once into delegates. Evaluating it reads only the entity's fields named in
/// <see cref="Fields"/>, allocates nothing for the common comparison shapes, and is safe to call from many threads.
/// </summary>
public sealed class CompiledFilter
{
    private readonly Predicate _predicate;
    private readonly FlipProbe[] _probes;

    internal CompiledFilter(
        FilterStatement statement,
        Predicate predicate,
        IEnumerable<string> fields,
        IEnumerable<string> includes,
        FlipProbe[] probes,
        bool isTimeRelative)
    {
        Statement = statement;
        _predicate = predicate;
        _probes = probes;
        Fields = fields.ToFrozenSet(StringComparer.Ordinal);
        Includes = includes.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        IsTimeRelative = isTimeRelative;
    }

    public FilterStatement Statement { get; }

    /// <summary>The statement's ALIAS (its slug), if it has one.</summary>
    public string? Alias => Statement.Alias;

    /// <summary>
    /// Every top-level field the filter may read, including those read by included audiences: a change to any other
    /// field cannot change the result. A dotted name that may split several ways (<c>a.b</c>) lists each candidate.
    /// </summary>
    public IReadOnlySet<string> Fields { get; }

    /// <summary>Every audience slug the filter includes, directly or through other includes.</summary>
    public IReadOnlySet<string> Includes { get; }

    /// <summary>Whether the result can change with time alone (date math, timewindow), so it needs re-evaluation.</summary>
    public bool IsTimeRelative { get; }

    /// <summary>Whether the entity is in the audience at <paramref name="now"/> (the anchor of date math).</summary>
    public bool Matches(IFilterEntity entity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return _predicate(entity, now) == Tri.True;
    }

    /// <summary>
    /// True or false, or null where qlbridge answers "not ok" (values it cannot compare, such as
    /// <c>name &gt; "a"</c> on text). <see cref="Matches"/> treats null as no match.
    /// </summary>
    public bool? Evaluate(IFilterEntity entity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return _predicate(entity, now) switch
        {
            Tri.True => true,
            Tri.False => false,
            _ => null,
        };
    }

    /// <summary>
    /// The next instant after <paramref name="now"/> at which the result could change with no change to the entity,
    /// or null when time alone cannot change it. Covers comparisons of a value (a date, a list of dates or a text that
    /// reads as one) with date math on either side, <c>BETWEEN</c> with date-math bounds, and
    /// <c>timewindow()</c>, wherever they sit in the filter and its includes. Logic around them is not considered, so
    /// at the instant returned the result may turn out unchanged: evaluate then and ask again.
    /// </summary>
    public DateTimeOffset? NextFlip(IFilterEntity entity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entity);
        DateTimeOffset? next = null;
        foreach (var probe in _probes)
        {
            probe.Offer(entity, now, ref next);
        }

        return next;
    }

    public override string ToString() => Statement.ToString();
}
