using Sluice.Query.Lql.Syntax;

namespace Sluice.Query.Lql.Compilation;

/// <summary>
/// The name of a column written without <c>AS</c>, as qlbridge (and so Lytics) names it: the first field the
/// expression reads, prefixed by the outermost function (<c>email(x)</c> is <c>email_x</c>, <c>count(x)</c> is
/// <c>ct_x</c>, <c>valuect(x)</c> is <c>cts_x</c>); conversions add no prefix (<c>todate(ts)</c> is <c>ts</c>). A
/// function that reads no field first is named after itself (<c>match("user.")</c> is <c>match</c>).
/// </summary>
internal static class ColumnNames
{
    private const int MaxDepth = 10;

    public static string? Implied(ExprSyntax expression) => expression switch
    {
        FieldSyntax field => field.Name,
        CallSyntax call => Find(0, call, "") is { Length: > 0 } name ? name : call.Name.ToLowerInvariant(),
        BinarySyntax binary => Find(0, binary, "") is { Length: > 0 } name ? name : null,
        _ => null,
    };

    private static string Find(int depth, ExprSyntax node, string prefix)
    {
        switch (node)
        {
            case FieldSyntax field:
                return prefix.Length == 0 ? field.Name : $"{prefix}_{field.Name}";
            case BinarySyntax binary:
                return Find(depth + 1, binary.Left, prefix);
            case CallSyntax call when depth <= MaxDepth && call.Arguments.Count > 0:
                if (prefix.Length == 0) prefix = Prefix(call.Name);
                return Find(depth + 1, call.Arguments[0], prefix);
            default:
                return "";
        }
    }

    private static string Prefix(string function) => function.ToLowerInvariant() switch
    {
        "count" => "ct",
        "valuect" or "mapct" => "cts",
        "todate" or "toint" or "tostring" or "tofloat" => "",
        var name => name,
    };

    /// <summary>The record fields an expression reads, in order of appearance, each once.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Sources(ExprSyntax expression)
    {
        var found = new List<IReadOnlyList<string>>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<ExprSyntax>();
        pending.Push(expression);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case FieldSyntax f:
                    if (names.Add(f.Name)) found.Add(f.Parts);
                    break;
                case CallSyntax c:
                    for (var i = c.Arguments.Count - 1; i >= 0; i--) pending.Push(c.Arguments[i]);
                    break;
                case BinarySyntax b:
                    pending.Push(b.Right);
                    pending.Push(b.Left);
                    break;
                case NotSyntax n:
                    pending.Push(n.Operand);
                    break;
                case ExistsSyntax e:
                    pending.Push(e.Operand);
                    break;
                case LogicalSyntax l:
                    for (var i = l.Operands.Count - 1; i >= 0; i--) pending.Push(l.Operands[i]);
                    break;
                case InSyntax @in:
                    for (var i = @in.Items.Count - 1; i >= 0; i--) pending.Push(@in.Items[i]);
                    pending.Push(@in.Operand);
                    break;
            }
        }
        return found;
    }
}
