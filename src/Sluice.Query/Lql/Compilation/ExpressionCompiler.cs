using Sluice.Query.Lql.Evaluation;
using Sluice.Query.Lql.Functions;
using Sluice.Query.Lql.Syntax;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Compilation;

/// <summary>Resolves function names and arities and turns syntax into evaluator objects.</summary>
internal static class ExpressionCompiler
{
    public static Expr Compile(ExprSyntax syntax)
    {
        var expr = syntax switch
        {
            LiteralSyntax literal => new ConstantExpr(literal.Value),
            FieldSyntax field => new FieldExpr(field.Parts),
            CallSyntax call => CompileCall(call),
            NotSyntax not => new NotExpr(Compile(not.Operand)),
            ExistsSyntax exists => new ExistsExpr(Compile(exists.Operand)),
            InSyntax @in => new InExpr(Compile(@in.Operand), [.. @in.Items.Select(Compile)]),
            BinarySyntax binary => CompileBinary(binary),
            LogicalSyntax { Operator: BinaryOperator.And } and => new AndExpr([.. and.Operands.Select(Compile)]),
            LogicalSyntax or => new OrExpr([.. or.Operands.Select(Compile)]),
            _ => throw new InvalidOperationException($"Unexpected syntax node {syntax.GetType().Name}."),
        };

        // Calls on literals (e.g. todate("2020-01-01")) are worked out once here rather than per record.
        return expr is not ConstantExpr && expr.IsConstant ? new ConstantExpr(expr.Evaluate(default)) : expr;
    }

    /// <summary>The KIND a column gets when it declares none.</summary>
    public static FieldKind InferKind(ExprSyntax syntax) => syntax switch
    {
        LiteralSyntax { Value.Kind: ValueKind.Long } => FieldKind.Int,
        LiteralSyntax { Value.Kind: ValueKind.Double } => FieldKind.Number,
        LiteralSyntax { Value.Kind: ValueKind.Bool } => FieldKind.Bool,
        LiteralSyntax or FieldSyntax => FieldKind.String,
        CallSyntax call when FunctionRegistry.TryGet(call.Name, out var function) =>
            function.KindOf([.. call.Arguments.Select(InferKind)]),
        CallSyntax => FieldKind.String,
        _ => FieldKind.Bool,
    };

    /// <summary>Aggregate functions imply their merge operator: <c>set(x)</c> merges as SET and so on.</summary>
    public static MergeOp? ImpliedMergeOp(ExprSyntax syntax) =>
        syntax is CallSyntax call && FunctionRegistry.TryGet(call.Name, out var function) ? function.ImpliedMergeOp : null;

    private static Expr CompileCall(CallSyntax call)
    {
        if (!FunctionRegistry.TryGet(call.Name, out var function))
        {
            throw new QueryValidationException(
                call.Position.Line,
                call.Position.Column,
                $"unknown function \"{call.Name}\"; known functions are {string.Join(", ", FunctionRegistry.Names)}");
        }

        var count = call.Arguments.Count;
        if (count < function.MinArguments || count > function.MaxArguments)
        {
            throw new QueryValidationException(
                call.Position.Line,
                call.Position.Column,
                $"{function.Name} takes {function.ArityText} but was given {count}");
        }

        var arguments = call.Arguments.Select(Compile).ToArray();
        try
        {
            return function.Build(arguments);
        }
        catch (FunctionArgumentException e)
        {
            throw new QueryValidationException(call.Position.Line, call.Position.Column, $"{function.Name}: {e.Message}");
        }
    }

    private static Expr CompileBinary(BinarySyntax binary)
    {
        var left = Compile(binary.Left);
        var right = Compile(binary.Right);
        return binary.Operator switch
        {
            BinaryOperator.Contains => new ContainsExpr(left, right),
            BinaryOperator.Like => new LikeExpr(left, right),
            _ => new CompareExpr(binary.Operator, left, right),
        };
    }

}
