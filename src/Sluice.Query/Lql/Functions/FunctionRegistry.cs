using Sluice.Query.Lql.Evaluation;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Functions;

/// <summary>The functions LQL mappings may call, by case-insensitive name.</summary>
internal static class FunctionRegistry
{
    private static readonly Dictionary<string, FunctionDefinition> Functions = Build()
        .ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Names => Functions.Keys.Order(StringComparer.Ordinal);

    public static bool TryGet(string name, out FunctionDefinition definition) =>
        Functions.TryGetValue(name, out definition!);

    private static IEnumerable<FunctionDefinition> Build()
    {
        static FieldKind SameAsArgument(IReadOnlyList<FieldKind> args) => args[0];

        yield return Unary("email", Lift.Text(TextFunctions.Email), SameAsArgument);
        yield return Unary("emaildomain", Lift.Text(TextFunctions.EmailDomain), SameAsArgument);
        yield return Unary("tolower", Lift.Text(TextFunctions.ToLower), SameAsArgument);
        yield return Unary("toupper", Lift.Text(TextFunctions.ToUpper), SameAsArgument);
        yield return Unary("trim", Lift.Text(TextFunctions.Trim), SameAsArgument);
        yield return Unary("hash.sha256", Lift.Text(TextFunctions.Sha256), SameAsArgument);
        yield return Unary("phone", ConversionFunctions.Phone, SameAsArgument);
        yield return Unary("toint", ConversionFunctions.ToInt, _ => FieldKind.Int);
        yield return Unary("tonumber", ConversionFunctions.ToNumber, _ => FieldKind.Number);
        yield return new FunctionDefinition("todate", 1, 2, BuildToDate, _ => FieldKind.Date);
        yield return Unary("set", AggregateFunctions.Set, _ => FieldKind.StringList, MergeOp.Set);
        yield return Unary("count", AggregateFunctions.Count, _ => FieldKind.Int, MergeOp.Count);
        yield return Unary("sum", AggregateFunctions.Sum, _ => FieldKind.Number, MergeOp.Sum);
        yield return Unary("min", AggregateFunctions.Min, NumberOrDate, MergeOp.Min);
        yield return Unary("max", AggregateFunctions.Max, NumberOrDate, MergeOp.Max);
        yield return new FunctionDefinition("oneof", 1, int.MaxValue, args => new OneOfExpr(args), CommonKind);
    }

    private static FunctionDefinition Unary(
        string name, Func<Value, Value> function, Func<IReadOnlyList<FieldKind>, FieldKind> kindOf, MergeOp? op = null) =>
        new(name, 1, 1, args => new UnaryCallExpr(args[0], function), kindOf, op);

    private static Expr BuildToDate(Expr[] args)
    {
        if (args.Length == 1)
        {
            return new UnaryCallExpr(args[0], ConversionFunctions.ToDate);
        }

        // The layout is almost always a literal: translate it once, not per record.
        if (args[1] is ConstantExpr { Value.Kind: ValueKind.String } layout)
        {
            return new UnaryCallExpr(args[0], ConversionFunctions.ToDateWithLayout(layout.Value.AsString()));
        }

        return new BinaryCallExpr(args[0], args[1], (value, format) =>
            format.IsEmpty ? ConversionFunctions.ToDate(value) : ConversionFunctions.ToDateWithLayout(format.ToString())(value));
    }

    private static FieldKind NumberOrDate(IReadOnlyList<FieldKind> args) =>
        args[0] == FieldKind.Date ? FieldKind.Date : FieldKind.Number;

    private static FieldKind CommonKind(IReadOnlyList<FieldKind> args) =>
        args.All(k => k == args[0]) ? args[0] : FieldKind.String;
}
