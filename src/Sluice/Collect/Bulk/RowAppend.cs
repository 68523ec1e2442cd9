using System.Text;
using System.Text.Json;
using Sluice.Api;

namespace Sluice.Collect.Bulk;

/// <summary>
/// The <c>append</c> object of a bulk upload: members added to every row. A row's own member of the same name is
/// dropped, since a file-wide value (a source, a campaign) is what the uploader asked for, and JSON objects with
/// duplicate names are read differently by different consumers.
/// </summary>
internal sealed class RowAppend
{
    private readonly List<(JsonEncodedText Name, JsonElement Value)> _members = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    private RowAppend()
    {
    }

    public int Count => _members.Count;

    public static RowAppend? Parse(string json, out string? error)
    {
        if (!JsonStrings.TryParse(json, out var doc, out var problem))
        {
            error = $"append: {problem}";
            return null;
        }
        error = null;
        JsonElement root;
        using (doc) root = doc.RootElement.Clone();
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "append must be a JSON object, such as {\"source\":\"crm\"}";
            return null;
        }
        var append = new RowAppend();
        foreach (var p in root.EnumerateObject())
        {
            if (append._names.Add(p.Name)) append._members.Add((JsonEncodedText.Encode(p.Name, BulkJson.Encoder), p.Value));
        }
        return append;
    }

    public bool Contains(string name) => _names.Contains(name);

    public void WriteTo(Utf8JsonWriter writer)
    {
        foreach (var (name, value) in _members)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }
}
