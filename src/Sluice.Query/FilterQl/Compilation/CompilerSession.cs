using Sluice.Query.FilterQl.Functions;
using Sluice.Query.FilterQl.Syntax;
using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Compilation;

/// <summary>
/// The state of one compilation: the fields and includes seen, the time probes, and the chain of audiences being
/// inlined (for cycles and depth). Recursion follows the tree's nesting, which the parser caps per statement and
/// <see cref="MaxNesting"/> caps across includes; the operands of a list are compiled in a loop.
/// </summary>
internal sealed partial class CompilerSession(IAudienceResolver? resolver)
{
    /// <summary>Nesting across inlined includes; qlbridge's evaluator stops at the same depth.</summary>
    private const int MaxNesting = 1000;

    private readonly List<string> _includeChain = [];
    private readonly Dictionary<string, (Predicate Predicate, int Height)> _inlined = new(StringComparer.OrdinalIgnoreCase);
    private int _nesting;
    private int _includeDepth;

    // The deepest chain of includes below the statement being compiled, so a reused include can be depth-checked.
    private int _height;
    private SourcePosition? _outerInclude;

    public HashSet<string> Fields { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Includes { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<FlipProbe> Probes { get; } = [];

    public bool IsTimeRelative { get; private set; }

    public Predicate CompileStatement(FilterStatement statement)
    {
        if (statement.Alias is { } alias)
        {
            _includeChain.Add(alias);
        }

        return CompilePredicate(statement.Filter);
    }

    private Predicate CompilePredicate(FilterNode node)
    {
        Nest(node);
        try
        {
            return node switch
            {
                MatchAllNode => static (_, _) => Tri.True,
                LogicalNode logical => CompileLogical(logical),
                NotNode not => Negate(CompilePredicate(not.Operand)),
                ComparisonNode comparison => CompileComparison(comparison),
                BetweenNode between => CompileBetween(between),
                ExistsNode exists => CompileExists(exists),
                IncludeNode include => CompileInclude(include),
                LiteralNode { Value.Kind: ValueKind.Bool } literal => literal.Value.AsBool() ? static (_, _) => Tri.True : static (_, _) => Tri.False,
                LiteralNode { Value.IsNull: true } => static (_, _) => Tri.False,
                FieldNode or FunctionNode => Truth(CompileOperand(node)),
                _ => throw new FilterQlException(node.Position, "expected a condition here, not a value"),
            };
        }
        finally
        {
            _nesting--;
        }
    }

    private void Nest(FilterNode node)
    {
        if (++_nesting > MaxNesting)
        {
            throw new FilterQlException(_outerInclude ?? node.Position, $"the filter nests deeper than {MaxNesting} levels through its includes");
        }
    }

    private static Predicate Negate(Predicate inner) => (e, now) => inner(e, now).Not();

    /// <summary>
    /// AND stops at the first false (or unknown) operand and OR at the first true one, skipping unknowns, in order,
    /// as qlbridge does.
    /// </summary>
    private Predicate CompileLogical(LogicalNode node)
    {
        var operands = new Predicate[node.Operands.Count];
        for (var i = 0; i < operands.Length; i++)
        {
            operands[i] = CompilePredicate(node.Operands[i]);
        }

        if (operands.Length == 1)
        {
            return operands[0];
        }

        if (node.Operator == LogicalOperator.And)
        {
            if (operands.Length == 2)
            {
                var (a, b) = (operands[0], operands[1]);
                return (e, now) => a(e, now) is var r && r != Tri.True ? r : b(e, now);
            }

            return (e, now) =>
            {
                foreach (var operand in operands)
                {
                    var r = operand(e, now);
                    if (r != Tri.True)
                    {
                        return r;
                    }
                }

                return Tri.True;
            };
        }

        Predicate or = (e, now) =>
        {
            foreach (var operand in operands)
            {
                if (operand(e, now) == Tri.True)
                {
                    return Tri.True;
                }
            }

            return Tri.False;
        };
        return SameFieldEqualities(node) is var (field, texts) ? OneOf(field, texts, or) : or;
    }

    /// <summary>
    /// <c>OR (city == "Paris", city == "Berlin", ...)</c> reads the field once: for text it is a lookup in the listed
    /// words, exactly what the separate comparisons give; any other value takes the general path.
    /// </summary>
    private static Predicate OneOf(string field, string[] texts, Predicate general)
    {
        var set = new HashSet<string>(texts, StringComparer.Ordinal);
        return (e, now) =>
        {
            if (!e.TryGet(field, out var v) || v.IsNull)
            {
                return Tri.False;
            }

            return v.Kind == ValueKind.String ? TriExtensions.From(set.Contains(v.AsString())) : general(e, now);
        };
    }

    private static (string Field, string[] Texts)? SameFieldEqualities(LogicalNode node)
    {
        string? field = null;
        var texts = new string[node.Operands.Count];
        for (var i = 0; i < texts.Length; i++)
        {
            if (node.Operands[i] is not ComparisonNode
                {
                    Operator: ComparisonOperator.Equal, Negated: false, Left: FieldNode { Parts.Count: 1 } f,
                    Right: LiteralNode { Value.Kind: ValueKind.String } literal,
                }
                || DateMath.LooksLikeDateMath(literal.Value.AsString())
                || (field is not null && !string.Equals(field, f.Parts[0], StringComparison.Ordinal)))
            {
                return null;
            }

            field = f.Parts[0];
            texts[i] = literal.Value.AsString();
        }

        return field is null ? null : (string.Intern(field), texts);
    }

    private Predicate CompileExists(ExistsNode node)
    {
        var operand = CompileOperand(node.Operand);
        if (operand.Field?.SingleField is { } field)
        {
            return (e, _) => TriExtensions.From(e.TryGet(field, out var v) && !v.IsNull);
        }

        var produce = operand.Produce;
        return (e, now) => TriExtensions.From(!produce(e, now).IsNull);
    }

    /// <summary>
    /// A value standing alone as a condition: booleans (and boolean words) are themselves, missing is false, and any
    /// other value is unknown, as qlbridge only accepts booleans there.
    /// </summary>
    private static Predicate Truth(Operand operand)
    {
        var produce = operand.Produce;
        return (e, now) =>
        {
            var v = produce(e, now);
            if (v.IsNull)
            {
                return Tri.False;
            }

            return Comparisons.ToBool(v) is { } b ? TriExtensions.From(b) : Tri.Unknown;
        };
    }

    private Predicate CompileInclude(IncludeNode node)
    {
        if (resolver is null)
        {
            throw new FilterQlException(node.Position, $"INCLUDE {node.Slug} cannot be resolved here: no audiences are available");
        }

        var slug = node.Slug;
        var cycleAt = _includeChain.FindIndex(s => string.Equals(s, slug, StringComparison.OrdinalIgnoreCase));
        if (cycleAt >= 0)
        {
            var chain = string.Join(" -> ", _includeChain.Skip(cycleAt).Append(slug));
            throw new FilterQlException(_outerInclude ?? node.Position, $"INCLUDE makes a cycle: {chain}");
        }

        var depth = _includeDepth + 1;
        Includes.Add(slug);
        if (_inlined.TryGetValue(slug, out var done))
        {
            CheckDepth(node, depth + done.Height);
            _height = Math.Max(_height, done.Height + 1);
            return done.Predicate;
        }

        CheckDepth(node, depth);
        var statement = resolver.Resolve(slug)
            ?? throw new FilterQlException(_outerInclude ?? node.Position, $"INCLUDE of an unknown audience \"{slug}\"");

        var isOuter = _outerInclude is null;
        _outerInclude ??= node.Position;
        _includeChain.Add(slug);
        _includeDepth++;
        var outerHeight = _height;
        _height = 0;
        try
        {
            var predicate = CompileIncluded(statement);
            _inlined[slug] = (predicate, _height);
            _height = Math.Max(outerHeight, _height + 1);
            return predicate;
        }
        catch (FilterQlException ex) when (isOuter)
        {
            // Errors inside another audience's text are reported at this INCLUDE, where the author can act on them.
            throw new FilterQlException(node.Position, ex.Reason.StartsWith("INCLUDE", StringComparison.Ordinal) ? ex.Reason : $"INCLUDE {slug}: {ex.Reason}");
        }
        finally
        {
            _includeChain.RemoveAt(_includeChain.Count - 1);
            _includeDepth--;
            if (isOuter)
            {
                _outerInclude = null;
            }
        }
    }

    private Predicate CompileIncluded(FilterStatement statement) =>
        statement.Filter is MatchAllNode ? static (_, _) => Tri.True : CompilePredicate(statement.Filter);

    private void CheckDepth(IncludeNode node, int depth)
    {
        if (depth > FilterCompiler.MaxIncludeDepth)
        {
            throw new FilterQlException(
                _outerInclude ?? node.Position, $"INCLUDEs nest deeper than {FilterCompiler.MaxIncludeDepth} audiences");
        }
    }
}
