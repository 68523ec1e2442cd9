using Sluice.Query.Lql.Syntax;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Compilation;

/// <summary>Validates a parsed mapping and builds its columns.</summary>
internal static class MappingCompiler
{
    public static CompiledMapping Compile(string text)
    {
        var syntax = Parser.Parse(text);
        if (!string.Equals(syntax.Table.Name, "user", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(syntax.Table.Position, $"mappings can only write INTO user, not \"{syntax.Table.Name}\"");
        }

        var identities = syntax.IdentityFields.Select(f => f.Name).Distinct(StringComparer.Ordinal).ToArray();
        var columns = syntax.Columns.Select(c => CompileColumn(c, identities)).ToArray();
        if (!columns.Any(c => c.Field.IsIdentity))
        {
            var by = syntax.IdentityFields[0].Position;
            throw Invalid(by, $"the mapping references no identity: no column produces any of the BY fields ({string.Join(", ", identities)})");
        }

        var where = syntax.Where is null ? null : ExpressionCompiler.Compile(syntax.Where);
        return new CompiledMapping(
            text,
            syntax.Alias?.Name ?? syntax.Stream.Name,
            syntax.Stream.Name,
            syntax.Table.Name.ToLowerInvariant(),
            identities,
            columns,
            where);
    }

    private static CompiledColumn CompileColumn(ColumnSyntax column, string[] identities)
    {
        var name = column.As?.Name
            ?? ColumnNames.Implied(column.Expression)
            ?? throw Invalid(column.Expression.Position, "this computed column reads no field to be named after: add AS <field>");

        var kind = ExpressionCompiler.InferKind(column.Expression);
        if (column.Kind is { } kindName && !FieldKinds.TryParseKind(kindName.Name, out kind))
        {
            throw Invalid(kindName.Position, $"unknown KIND \"{kindName.Name}\"; expected string, int, number, bool, date, []string, map[string]string, map[string]int or map[string]time");
        }

        var op = ExpressionCompiler.ImpliedMergeOp(column.Expression) ?? MergeOp.Latest;
        if (column.MergeOp is { } opName && !FieldKinds.TryParseMergeOp(opName.Name, out op))
        {
            throw Invalid(opName.Position, $"unknown MERGEOP \"{opName.Name}\"; expected LATEST, OLDEST, SET, COUNT, SUM, MIN or MAX");
        }

        var field = new MappingField(
            name,
            kind,
            op,
            identities.Contains(name, StringComparer.Ordinal),
            column.ShortDescription,
            column.LongDescription);
        var condition = column.If is null ? null : ExpressionCompiler.Compile(column.If);
        return new CompiledColumn(field, ExpressionCompiler.Compile(column.Expression), condition, ColumnNames.Sources(column.Expression));
    }

    private static QueryValidationException Invalid(Position at, string reason) => new(at.Line, at.Column, reason);
}
