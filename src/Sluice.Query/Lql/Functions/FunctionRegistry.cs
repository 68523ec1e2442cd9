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
        yield return Conversion("toint", ConversionFunctions.ToInt, ConversionFunctions.TextToInt, FieldKind.Int);
        yield return Conversion("tonumber", ConversionFunctions.ToNumber, ConversionFunctions.TextToNumber, FieldKind.Number);
        yield return new FunctionDefinition("todate", 1, 2, BuildToDate, _ => FieldKind.Date);
        yield return Unary("set", AggregateFunctions.Set, _ => FieldKind.StringList, MergeOp.Set);
        yield return Unary("count", AggregateFunctions.Count, _ => FieldKind.Int, MergeOp.Count);
        yield return Unary("sum", AggregateFunctions.Sum, _ => FieldKind.Number, MergeOp.Sum);
        yield return Unary("min", AggregateFunctions.Min, NumberOrDate, MergeOp.Min);
        yield return Unary("max", AggregateFunctions.Max, NumberOrDate, MergeOp.Max);
        yield return new FunctionDefinition("oneof", 1, int.MaxValue, args => new OneOfExpr(args), CommonKind);

        // Conversions and strings (qlbridge's builtins).
        yield return Unary("tobool", ConversionFunctions.ToBool, _ => FieldKind.Bool);
        yield return Unary("tostring", StringFunctions.ToText, _ => FieldKind.String);
        yield return Unary("len", StringFunctions.Length, _ => FieldKind.Int);
        yield return Unary("char_length", StringFunctions.Length, _ => FieldKind.Int);
        yield return Binary("contains", StringFunctions.Contains, FieldKind.Bool);
        yield return Binary("hasprefix", StringFunctions.HasPrefix, FieldKind.Bool);
        yield return Binary("hassuffix", StringFunctions.HasSuffix, FieldKind.Bool);
        yield return Binary("split", StringFunctions.Split, FieldKind.StringList);
        yield return Binary("string.split", StringFunctions.Split, FieldKind.StringList);
        yield return Unary("strip", Lift.Text(TextFunctions.Trim), SameAsArgument);
        yield return Unary("string.strip", Lift.Text(TextFunctions.Trim), SameAsArgument);
        yield return Unary("string.lowercase", Lift.Text(TextFunctions.ToLower), SameAsArgument);
        yield return Unary("string.uppercase", Lift.Text(TextFunctions.ToUpper), SameAsArgument);
        yield return Unary("string.titlecase", Lift.Text(StringFunctions.TitleCase), SameAsArgument);
        yield return new FunctionDefinition("replace", 2, 3, args => new NaryCallExpr(args, StringFunctions.Replace), _ => FieldKind.String);
        yield return new FunctionDefinition("join", 2, int.MaxValue, args => new NaryCallExpr(args, StringFunctions.Join), _ => FieldKind.String);
        yield return Unary("emailname", Lift.Text(StringFunctions.EmailName), SameAsArgument);
        yield return Unary("hash", SipHash.Hash, _ => FieldKind.Int);
        yield return Unary("hash.sip", SipHash.Hash, _ => FieldKind.Int);
        yield return Unary("hash.md5", Lift.Text(StringFunctions.Md5), SameAsArgument);
        yield return Unary("hash.sha1", Lift.Text(StringFunctions.Sha1), SameAsArgument);
        yield return Unary("hash.sha512", Lift.Text(StringFunctions.Sha512), SameAsArgument);
        yield return Unary("encoding.b64encode", Lift.Text(StringFunctions.B64Encode), SameAsArgument);
        yield return Unary("encoding.b64decode", Lift.Text(StringFunctions.B64Decode), SameAsArgument);

        // URLs.
        yield return Binary("qs", UrlFunctions.Qs, FieldKind.String);
        yield return Binary("qs2", UrlFunctions.Qs, FieldKind.String);
        yield return Unary("host", Lift.Text(UrlFunctions.Host), SameAsArgument);
        yield return Unary("hosts", Lift.Text(UrlFunctions.Host), _ => FieldKind.StringList);
        yield return Unary("domain", Lift.Text(UrlFunctions.Domain), SameAsArgument);
        yield return Unary("domains", Lift.Text(UrlFunctions.Domain), _ => FieldKind.StringList);
        yield return Unary("path", Lift.Text(UrlFunctions.Path), SameAsArgument);
        yield return Unary("urlmain", Lift.Text(UrlFunctions.UrlMain), SameAsArgument);
        yield return Unary("urlminusqs", Lift.Text(UrlFunctions.UrlMinusQs), SameAsArgument);
        yield return Unary("urldecode", Lift.Text(UrlFunctions.UrlDecode), SameAsArgument);
        yield return new FunctionDefinition("url.matchqs", 1, int.MaxValue, args => new NaryCallExpr(args, UrlFunctions.MatchQs), _ => FieldKind.String);

        // Calendar parts, in UTC.
        yield return Unary("yy", TimeFunctions.Part(TimeFunctions.Yy), _ => FieldKind.Int);
        yield return Unary("mm", TimeFunctions.Part(TimeFunctions.Mm), _ => FieldKind.Int);
        yield return Unary("monthofyear", TimeFunctions.Part(TimeFunctions.Mm), _ => FieldKind.Int);
        yield return Unary("yymm", TimeFunctions.Part(TimeFunctions.YyMm), _ => FieldKind.String);
        yield return Unary("dayofweek", TimeFunctions.Part(TimeFunctions.DayOfWeek), _ => FieldKind.Int);
        yield return Unary("hourofday", TimeFunctions.Part(TimeFunctions.HourOfDay), _ => FieldKind.Int);
        yield return Unary("hourofweek", TimeFunctions.Part(TimeFunctions.HourOfWeek), _ => FieldKind.Int);
        yield return Unary("seconds", TimeFunctions.Seconds, _ => FieldKind.Number);
        yield return Binary("strftime", TimeFunctions.StrFromTime, FieldKind.String);
        yield return new FunctionDefinition("todatein", 2, 2, BuildToDateIn, _ => FieldKind.Date);
        yield return new FunctionDefinition("maptime", 1, 2, BuildMapTime, _ => FieldKind.TimeMap);

        // JSON held in a field.
        yield return new FunctionDefinition("json.jmespath", 2, 2, JmesPathFunction.Build, _ => FieldKind.String);

        // Maps.
        yield return new FunctionDefinition("match", 1, int.MaxValue, BuildMatch, _ => FieldKind.StringMap);
        yield return Binary("map", MapFunctions.Map, FieldKind.StringMap);
        yield return Unary("valuect", MapFunctions.ValueCount, _ => FieldKind.IntMap, MergeOp.Sum);
        yield return Unary("mapkeys", MapFunctions.Keys, _ => FieldKind.StringList);
        yield return Unary("mapvalues", MapFunctions.Values, _ => FieldKind.StringList);
        yield return Unary("mapinvert", MapFunctions.Invert, _ => FieldKind.StringMap);

        // Lists and pattern filters.
        yield return Binary("array.index", ListFunctions.Index, FieldKind.String);
        yield return new FunctionDefinition("array.slice", 2, 3, args => new NaryCallExpr(args, ListFunctions.Slice), _ => FieldKind.StringList);
        yield return new FunctionDefinition("filter", 2, int.MaxValue, args => new NaryCallExpr(args, ListFunctions.Filter), SameAsArgument);
        yield return new FunctionDefinition("filtermatch", 2, int.MaxValue, args => new NaryCallExpr(args, ListFunctions.FilterMatch), SameAsArgument);
    }

    private static FunctionDefinition Binary(string name, Func<Value, Value, Value> function, FieldKind kind) =>
        new(name, 2, 2, args => new BinaryCallExpr(args[0], args[1], function), _ => kind);

    /// <summary>The prefixes are almost always literals; otherwise they are read from the record like any argument.</summary>
    private static Expr BuildMatch(Expr[] args)
    {
        if (args.All(a => a is ConstantExpr))
        {
            return new RecordCallExpr(MapFunctions.Match([.. args.Select(a => ((ConstantExpr)a).Value.ToString())]));
        }

        return new RecordCallExpr(record => MapFunctions.Match([.. args.Select(a => a.Evaluate(record).ToString())])(record));
    }

    private static FunctionDefinition Unary(
        string name, Func<Value, Value> function, Func<IReadOnlyList<FieldKind>, FieldKind> kindOf, MergeOp? op = null) =>
        new(name, 1, 1, args => new UnaryCallExpr(args[0], function), kindOf, op);

    /// <summary>A conversion that reads a field's text where it lies when its argument is a plain field.</summary>
    private static FunctionDefinition Conversion(string name, Func<Value, Value> function, TextConversion fromText, FieldKind kind) =>
        new(name, 1, 1, args => ConversionOf(args[0], function, fromText), _ => kind);

    private static Expr ConversionOf(Expr argument, Func<Value, Value> function, TextConversion fromText) =>
        argument is FieldExpr field ? new FieldConversionExpr(field, fromText, function) : new UnaryCallExpr(argument, function);

    private static Expr BuildToDate(Expr[] args)
    {
        if (args.Length == 1)
        {
            return ConversionOf(args[0], ConversionFunctions.ToDate, ConversionFunctions.TextToDate);
        }

        // The layout is almost always a literal: translate it once, not per record.
        if (args[1] is ConstantExpr { Value.Kind: ValueKind.String } layout)
        {
            return new UnaryCallExpr(args[0], ConversionFunctions.ToDateWithLayout(layout.Value.AsString()));
        }

        return new BinaryCallExpr(args[0], args[1], (value, format) =>
            format.IsEmpty ? ConversionFunctions.ToDate(value) : ConversionFunctions.ToDateWithLayout(format.ToString())(value));
    }

    /// <summary>The zone is a literal, looked up once: a zone that does not exist is refused with the mapping.</summary>
    private static Expr BuildToDateIn(Expr[] args) => args[1] is ConstantExpr { Value.Kind: ValueKind.String } zone
        ? new UnaryCallExpr(args[0], TimeFunctions.ToDateIn(zone.Value.AsString()))
        : throw new FunctionArgumentException("the time zone must be a literal string such as \"America/Los_Angeles\"");

    /// <summary>
    /// Lytics' one-argument form stamps the key with the event's time, which Sluice does not hand to functions yet:
    /// it is refused with the mapping, naming the two-argument form, rather than writing a wrong time.
    /// </summary>
    private static Expr BuildMapTime(Expr[] args) => args.Length == 2
        ? new BinaryCallExpr(args[0], args[1], TimeFunctions.MapTime)
        : throw new FunctionArgumentException("give the time as the second argument, maptime(key, time_field)");

    private static FieldKind NumberOrDate(IReadOnlyList<FieldKind> args) =>
        args[0] == FieldKind.Date ? FieldKind.Date : FieldKind.Number;

    private static FieldKind CommonKind(IReadOnlyList<FieldKind> args) =>
        args.All(k => k == args[0]) ? args[0] : FieldKind.String;
}
