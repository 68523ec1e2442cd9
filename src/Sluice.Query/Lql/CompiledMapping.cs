using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Query.Lql.Compilation;
using Sluice.Query.Lql.Evaluation;
using Sluice.Query.Values;

namespace Sluice.Query.Lql;

/// <summary>
/// A validated LQL mapping from one stream into user profiles. Compile once, then call <see cref="Map"/> for
/// every record; the instance is immutable and safe to share between threads.
/// </summary>
public sealed class CompiledMapping
{
    /// <summary>Identity values longer than this many UTF-8 bytes are rejected.</summary>
    public const int MaxIdentityBytes = 1024;

    [ThreadStatic]
    private static List<MappedField>? t_fields;

    private readonly CompiledColumn[] _columns;
    private readonly Expr? _where;
    private readonly Dictionary<string, MappingField> _fieldsByName;

    internal CompiledMapping(
        string text, string alias, string stream, string table, string[] identityFields, CompiledColumn[] columns, Expr? where)
    {
        Text = text;
        Alias = alias;
        Stream = stream;
        Table = table;
        IdentityFields = identityFields;
        _columns = columns;
        _where = where;
        Fields = [.. columns.Select(c => c.Field)];
        _fieldsByName = [];
        foreach (var field in Fields)
        {
            _fieldsByName.TryAdd(field.Name, field);
        }
    }

    /// <summary>
    /// Parses and validates LQL text.
    /// </summary>
    /// <exception cref="QuerySyntaxException">The text does not parse.</exception>
    /// <exception cref="QueryValidationException">It parses but is not a usable mapping.</exception>
    public static CompiledMapping Compile(string lql) => MappingCompiler.Compile(lql);

    /// <summary>The LQL the mapping was compiled from.</summary>
    public string Text { get; }

    /// <summary>The ALIAS, or the stream name when there is none.</summary>
    public string Alias { get; }

    public string Stream { get; }

    public string Table { get; }

    /// <summary>The BY fields, in the order written.</summary>
    public IReadOnlyList<string> IdentityFields { get; }

    /// <summary>One entry per column; a field written by several columns (with IF guards) appears for each.</summary>
    public IReadOnlyList<MappingField> Fields { get; }

    /// <summary>Which record field (dotted name) feeds which profile field, in column order, each pair once.</summary>
    public IReadOnlyList<(string Source, string Field)> Lineage =>
        [.. _columns.SelectMany(c => c.Sources.Select(p => (string.Join('.', p), c.Field.Name))).Distinct()];

    /// <summary>
    /// The identity values this mapping would store for <paramref name="field"/> if a record carried
    /// <paramref name="value"/> in the field a column reads for it: <c>phone(phone_number) AS phone_number</c> turns
    /// <c>(555) 123-1234</c> into <c>+15551231234</c>. Columns that read several fields, or none, are left out.
    /// </summary>
    public IReadOnlyList<string> NormalizeIdentity(string field, string value)
    {
        var found = new List<string>();
        foreach (var column in _columns)
        {
            if (!column.Field.IsIdentity || column.Field.Name != field || column.Sources.Count != 1) continue;
            var record = new JsonObject();
            var parts = column.Sources[0];
            var at = record;
            for (var i = 0; i < parts.Count - 1; i++)
            {
                var inner = new JsonObject();
                at[parts[i]] = inner;
                at = inner;
            }
            at[parts[^1]] = value;
            var result = KindConverter.Convert(column.Expression.Evaluate(JsonSerializer.SerializeToElement(record)), column.Field.Kind, out var error);
            if (error is not null || result.IsEmpty) continue;
            var items = result.Kind == ValueKind.StringList ? result.ListArray : [result.ToString()];
            foreach (var item in items)
            {
                var trimmed = item.Trim();
                if (trimmed.Length > 0 && !found.Contains(trimmed, StringComparer.Ordinal)) found.Add(trimmed);
            }
        }
        return found;
    }

    /// <summary>The merge operator for a field this mapping writes, or null if it writes no such field.</summary>
    public MergeOp? MergeOpFor(string field) => _fieldsByName.TryGetValue(field, out var f) ? f.MergeOp : null;

    public MappedRecord Map(JsonElement record)
    {
        if (_where is not null && !Truth.IsTrue(_where.Evaluate(record)))
        {
            return MappedRecord.Excluded;
        }

        // Gathered in this thread's list and copied out at their number: a list sized for every column held a fifth
        // more than a record's non-empty values, and these are the processor's largest arrays.
        var fields = t_fields ??= new List<MappedField>(_columns.Length);
        fields.Clear();
        List<KeyValuePair<string, string>>? identities = null;
        List<FieldError>? errors = null;
        foreach (var column in _columns)
        {
            if (column.Condition is not null && !Truth.IsTrue(column.Condition.Evaluate(record)))
            {
                continue;
            }

            var value = column.Expression.Evaluate(record);
            if (value.IsEmpty)
            {
                continue;
            }

            var field = column.Field;
            value = KindConverter.Convert(value, field.Kind, out var error);
            if (error is not null)
            {
                (errors ??= []).Add(new FieldError(field.Name, error));
                continue;
            }

            if (field.IsIdentity && !TryAddIdentities(field.Name, value, ref identities, ref errors))
            {
                continue;
            }

            fields.Add(new MappedField(field.Name, value, field.MergeOp));
        }

        MappedField[] mapped = [.. fields];
        fields.Clear();
        return new MappedRecord(true, identities ?? (IReadOnlyList<KeyValuePair<string, string>>)[], mapped, errors ?? (IReadOnlyList<FieldError>)[]);
    }

    /// <summary>Adds the identity values of a field; false (with an error) if any value is too long to be an identity.</summary>
    private static bool TryAddIdentities(
        string name, Value value, ref List<KeyValuePair<string, string>>? identities, ref List<FieldError>? errors)
    {
        if (value.Kind == ValueKind.StringList)
        {
            foreach (var item in value.ListArray)
            {
                if (!CheckLength(name, item, ref errors))
                {
                    return false;
                }
            }

            foreach (var item in value.ListArray)
            {
                var trimmed = item.Trim();
                if (trimmed.Length > 0)
                {
                    (identities ??= []).Add(KeyValuePair.Create(name, trimmed));
                }
            }

            return true;
        }

        var text = value.ToString().Trim();
        if (!CheckLength(name, text, ref errors))
        {
            return false;
        }

        if (text.Length > 0)
        {
            (identities ??= []).Add(KeyValuePair.Create(name, text));
        }

        return true;
    }

    private static bool CheckLength(string name, string text, ref List<FieldError>? errors)
    {
        // Cheap check first: a string can only exceed the byte limit if its char count could.
        if (text.Length * 3 <= MaxIdentityBytes || Encoding.UTF8.GetByteCount(text) <= MaxIdentityBytes)
        {
            return true;
        }

        (errors ??= []).Add(new FieldError(name, $"identity value is {Encoding.UTF8.GetByteCount(text)} bytes; at most {MaxIdentityBytes} are allowed"));
        return false;
    }
}
