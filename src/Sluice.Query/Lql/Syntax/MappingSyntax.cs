namespace Sluice.Query.Lql.Syntax;

/// <summary>A parsed <c>SELECT ... FROM ... INTO ... BY ...</c> statement.</summary>
internal sealed record MappingSyntax(
    IReadOnlyList<ColumnSyntax> Columns,
    NameSyntax Stream,
    NameSyntax Table,
    IReadOnlyList<NameSyntax> IdentityFields,
    ExprSyntax? Where,
    NameSyntax? Alias);

internal sealed record ColumnSyntax(
    ExprSyntax Expression,
    NameSyntax? As,
    ExprSyntax? If,
    NameSyntax? Kind,
    NameSyntax? MergeOp,
    string? ShortDescription,
    string? LongDescription);

internal sealed record NameSyntax(string Name, Position Position);
