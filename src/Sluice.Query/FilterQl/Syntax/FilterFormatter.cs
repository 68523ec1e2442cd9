using System.Globalization;
using System.Text;
using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Syntax;

/// <summary>Renders nodes and statements as canonical FilterQL, which parses back to the same tree.</summary>
public static class FilterFormatter
{
    public static string Format(FilterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var sb = new StringBuilder();
        Append(sb, node);
        return sb.ToString();
    }

    public static string Format(FilterStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var sb = new StringBuilder("FILTER ");
        Append(sb, statement.Filter);
        if (!string.Equals(statement.From, "user", StringComparison.Ordinal))
        {
            sb.Append(" FROM ");
            AppendName(sb, statement.From, quoted: false);
        }

        if (statement.Limit is { } limit)
        {
            sb.Append(" LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture));
        }

        if (statement.With.Count > 0)
        {
            sb.Append(" WITH ");
            var first = true;
            foreach (var (key, value) in statement.With)
            {
                sb.Append(first ? string.Empty : ", ");
                first = false;
                AppendName(sb, key, quoted: false);
                sb.Append(" = ");
                AppendLiteral(sb, value);
            }
        }

        if (statement.Alias is { } alias)
        {
            sb.Append(" ALIAS ");
            AppendName(sb, alias, quoted: false);
        }

        return sb.ToString();
    }

    private static void Append(StringBuilder sb, FilterNode node)
    {
        switch (node)
        {
            case LogicalNode logical:
                sb.Append(logical.Operator == LogicalOperator.And ? "AND ( " : "OR ( ");
                for (var i = 0; i < logical.Operands.Count; i++)
                {
                    sb.Append(i > 0 ? ", " : string.Empty);
                    Append(sb, logical.Operands[i]);
                }

                sb.Append(" )");
                break;
            case NotNode not:
                sb.Append("NOT (");
                Append(sb, not.Operand);
                sb.Append(')');
                break;
            case ComparisonNode c:
                Append(sb, c.Left);
                sb.Append(' ').Append(c.Negated ? "NOT " : string.Empty).Append(OperatorText(c.Operator)).Append(' ');
                if (c.Right is ListNode rightList && c.Operator is ComparisonOperator.In or ComparisonOperator.Intersects)
                {
                    AppendList(sb, rightList, '(', ')');
                }
                else
                {
                    Append(sb, c.Right);
                }

                break;
            case BetweenNode b:
                Append(sb, b.Operand);
                sb.Append(b.Negated ? " NOT BETWEEN " : " BETWEEN ");
                Append(sb, b.Lower);
                sb.Append(" AND ");
                Append(sb, b.Upper);
                break;
            case ExistsNode e:
                sb.Append("EXISTS ");
                Append(sb, e.Operand);
                break;
            case IncludeNode include:
                sb.Append("INCLUDE ");
                AppendName(sb, include.Slug, quoted: false);
                break;
            case MatchAllNode:
                sb.Append('*');
                break;
            case LiteralNode literal:
                AppendLiteral(sb, literal.Value);
                break;
            case FieldNode field:
                for (var i = 0; i < field.Parts.Count; i++)
                {
                    sb.Append(i > 0 ? "." : string.Empty);
                    AppendName(sb, field.Parts[i], field.Quoted);
                }

                break;
            case FunctionNode function:
                sb.Append(function.Name).Append('(');
                for (var i = 0; i < function.Arguments.Count; i++)
                {
                    sb.Append(i > 0 ? ", " : string.Empty);
                    Append(sb, function.Arguments[i]);
                }

                sb.Append(')');
                break;
            case ListNode list:
                AppendList(sb, list, '[', ']');
                break;
            default:
                throw new ArgumentException($"Unknown node {node.GetType().Name}.", nameof(node));
        }
    }

    private static void AppendList(StringBuilder sb, ListNode list, char open, char close)
    {
        sb.Append(open);
        for (var i = 0; i < list.Items.Count; i++)
        {
            sb.Append(i > 0 ? ", " : string.Empty);
            Append(sb, list.Items[i]);
        }

        sb.Append(close);
    }

    public static string OperatorText(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "==",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.In => "IN",
        ComparisonOperator.Intersects => "INTERSECTS",
        ComparisonOperator.Contains => "CONTAINS",
        _ => "LIKE",
    };

    private static void AppendLiteral(StringBuilder sb, Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.Null:
                sb.Append("NULL");
                break;
            case ValueKind.String:
                sb.Append('"');
                foreach (var c in value.AsString())
                {
                    sb.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ => c.ToString() });
                }

                sb.Append('"');
                break;
            default:
                sb.Append(value.ToString());
                break;
        }
    }

    private static void AppendName(StringBuilder sb, string name, bool quoted)
    {
        if (!quoted && IsBareName(name))
        {
            sb.Append(name);
            return;
        }

        sb.Append('`').Append(name.Replace("`", "``", StringComparison.Ordinal)).Append('`');
    }

    private static bool IsBareName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] is '_' or '$' or '@'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '@'))
            {
                return false;
            }
        }

        return !IsKeywordLike(name);
    }

    private static bool IsKeywordLike(string name) => name.ToUpperInvariant() is "AND" or "OR" or "NOT" or "IN" or "INTERSECTS"
        or "CONTAINS" or "LIKE" or "BETWEEN" or "EXISTS" or "INCLUDE" or "FROM" or "WITH" or "ALIAS" or "LIMIT" or "FILTER"
        or "SELECT" or "WHERE" or "TRUE" or "FALSE" or "NULL" or "MATCH_ALL";
}
