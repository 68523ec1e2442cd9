namespace Sluice.BrazeSimulator.Segments;

/// <summary>RFC 4180 output: fields with a comma, quote, CR or LF are quoted and quotes doubled; records end in CRLF.</summary>
internal static class CsvFields
{
    public static async Task WriteRecordAsync(TextWriter writer, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                await writer.WriteAsync(',');
            }

            await writer.WriteAsync(Escape(fields[i]));
        }

        await writer.WriteAsync("\r\n");
    }

    public static string Escape(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return "";
        }

        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
