using System.Globalization;
using System.Text;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Syntax;

/// <summary>
/// Writes a parsed mapping back as canonical LQL (upper-case keywords, fully parenthesised conditions), so that
/// a stored mapping can be shown normalised and so that parsing can be checked to lose nothing.
/// </summary>
internal static class LqlFormatter
{
    public static string Format(MappingSyntax mapping)
    {
        var sb = new StringBuilder("SELECT\n");
        for (var i = 0; i < mapping.Columns.Count; i++)
        {
            sb.Append("  ").Append(Column(mapping.Columns[i])).Append(i < mapping.Columns.Count - 1 ? ",\n" : "\n");
        }

        sb.Append("FROM ").Append(Name(mapping.Stream.Name))
            .Append(" INTO ").Append(Name(mapping.Table.Name))
            .Append(" BY ").Append(string.Join(" OR ", mapping.IdentityFields.Select(f => Name(f.Name))));
        if (mapping.Where is not null)
        {
            sb.Append("\nWHERE ").Append(Expression(mapping.Where));
        }

        if (mapping.Alias is not null)
        {
            sb.Append("\nALIAS ").Append(Name(mapping.Alias.Name));
        }

        return sb.ToString();
    }

    private static string Column(ColumnSyntax column)
    {
        var sb = new StringBuilder(Expression(column.Expression));
        if (column.As is not null)
        {
            sb.Append(" AS ").Append(Name(column.As.Name));
        }

        if (column.If is not null)
        {
            sb.Append(" IF ").Append(Expression(column.If));
        }

        if (column.Kind is not null)
        {
            sb.Append(" KIND ").Append(column.Kind.Name);
        }

        if (column.MergeOp is not null)
        {
            sb.Append(" MERGEOP ").Append(column.MergeOp.Name.ToUpperInvariant());
        }

        if (column.ShortDescription is not null)
        {
            sb.Append(" SHORTDESC ").Append(Quote(column.ShortDescription));
        }

        if (column.LongDescription is not null)
        {
            sb.Append(" LONGDESC ").Append(Quote(column.LongDescription));
        }

        return sb.ToString();
    }

    private static string Expression(ExprSyntax syntax) => syntax switch
    {
        LiteralSyntax literal => Literal(literal.Value),
        FieldSyntax field => string.Join('.', field.Parts.Select(p => field.Quoted || !IsPlain(p) ? Backtick(p) : p)),
        CallSyntax call => $"{call.Name}({string.Join(", ", call.Arguments.Select(Expression))})",
        NotSyntax not => $"NOT ({Expression(not.Operand)})",
        ExistsSyntax exists => $"EXISTS {Expression(exists.Operand)}",
        InSyntax @in => $"{Expression(@in.Operand)} IN ({string.Join(", ", @in.Items.Select(Expression))})",
        BinarySyntax binary => $"({Expression(binary.Left)} {Operator(binary.Operator)} {Expression(binary.Right)})",
        LogicalSyntax logical => $"({string.Join($" {Operator(logical.Operator)} ", logical.Operands.Select(Expression))})",
        _ => throw new InvalidOperationException($"Unexpected syntax node {syntax.GetType().Name}."),
    };

    private static string Operator(BinaryOperator op) => op switch
    {
        BinaryOperator.And => "AND",
        BinaryOperator.Or => "OR",
        BinaryOperator.Equal => "=",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Contains => "CONTAINS",
        _ => "LIKE",
    };

    private static string Literal(Value value) => value.Kind switch
    {
        ValueKind.Null => "NULL",
        ValueKind.Bool => value.AsBool() ? "TRUE" : "FALSE",
        ValueKind.Long => value.AsLong().ToString(CultureInfo.InvariantCulture),
        ValueKind.Double => value.AsDouble().ToString("R", CultureInfo.InvariantCulture),
        _ => Quote(value.ToString()),
    };

    private static string Name(string name) => IsPlain(name) && !name.Contains('.', StringComparison.Ordinal) ? name : Backtick(name);

    private static bool IsPlain(string part) =>
        part.Length > 0
        && (char.IsAsciiLetter(part[0]) || part[0] is '_' or '$' or '@')
        && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '@' or '.')
        && !IsKeyword(part);

    private static bool IsKeyword(string part) =>
        new Token(TokenKind.Identifier, part, 1, 1, [part], false) is var token && Parser.IsReservedWord(token);

    private static string Backtick(string part) => "`" + part.Replace("`", "``", StringComparison.Ordinal) + "`";

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
