using Sluice.Query.FilterQl.Functions;
using Sluice.Query.FilterQl.Syntax;
using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Compilation;

internal sealed partial class CompilerSession
{
    private Operand CompileOperand(FilterNode node)
    {
        switch (node)
        {
            case LiteralNode literal:
                return CompileLiteral(literal);
            case FieldNode field:
                var access = FieldAccess.For(field);
                Fields.UnionWith(access.FieldNames);
                return Operand.Of(access);
            case ListNode list:
                return CompileList(list);
            case FunctionNode function:
                return CompileCall(function);
            default:
                throw new FilterQlException(node.Position, "expected a value here, not a condition");
        }
    }

    /// <summary>A string that reads as date math (<c>"now-7d"</c>) is date math; if it does not parse it is an error.</summary>
    private Operand CompileLiteral(LiteralNode literal)
    {
        var value = literal.Value;
        if (value.Kind == ValueKind.String && DateMath.LooksLikeDateMath(value.AsString()))
        {
            var math = DateMath.TryParse(value.AsString(), out var error)
                ?? throw new FilterQlException(literal.Position, $"invalid date math: {error}");
            IsTimeRelative = true;
            return Operand.Of(math);
        }

        return Operand.Of(value);
    }

    /// <summary>A list of constants is one constant list value; lists with fields in them are built per evaluation.</summary>
    private Operand CompileList(ListNode list)
    {
        var items = new Operand[list.Items.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = CompileOperand(list.Items[i]);
        }

        if (items.All(i => i.Constant is not null))
        {
            return Operand.Of(Value.FromList(items.Where(i => !i.Constant!.Value.IsNull).Select(i => Comparisons.Text(i.Constant!.Value))));
        }

        var producers = items.Select(i => i.Produce).ToArray();
        return Operand.Of((e, now) =>
        {
            var texts = new List<string>(producers.Length);
            foreach (var produce in producers)
            {
                var v = produce(e, now);
                if (v.Kind == ValueKind.StringList)
                {
                    texts.AddRange(v.AsList());
                }
                else if (!v.IsNull)
                {
                    texts.Add(Comparisons.Text(v));
                }
            }

            return Value.FromList(texts);
        });
    }

    private Operand CompileCall(FunctionNode node)
    {
        if (!Builtins.Exists(node.Name))
        {
            throw new FilterQlException(node.Position, $"unknown function \"{node.Name}\"");
        }

        Nest(node);
        try
        {
            var args = new Operand[node.Arguments.Count];
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = CompileOperand(node.Arguments[i]);
            }

            // todate("now-1d") is date math in a function's clothes; treat it as such so it can be probed.
            if (string.Equals(node.Name, "todate", StringComparison.OrdinalIgnoreCase) && args.Length == 1 && args[0].DateMath is { } math)
            {
                return Operand.Of(math);
            }

            var produce = Builtins.Compile(node, args);
            if (string.Equals(node.Name, "timewindow", StringComparison.OrdinalIgnoreCase))
            {
                IsTimeRelative = true;
                Probes.Add(new TimeWindowProbe(args[0].Produce, Builtins.TimeWindowArguments(node, args).Days));
            }

            return Operand.Of(produce);
        }
        finally
        {
            _nesting--;
        }
    }
}
