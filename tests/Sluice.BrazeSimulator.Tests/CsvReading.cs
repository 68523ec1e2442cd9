using System.Text;

namespace Sluice.BrazeSimulator.Tests;

/// <summary>A strict RFC 4180 reader for checking exports: it fails on anything a lenient reader would paper over.</summary>
internal static class CsvReading
{
    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                Assert.True(field.Length == 0, $"quote inside an unquoted field at {i}");
                i++;
                while (true)
                {
                    Assert.True(i < text.Length, "unterminated quoted field");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i++]);
                }

                Assert.True(i >= text.Length || text[i] is ',' or '\r', $"text after a closing quote at {i}");
                continue;
            }

            if (text[i] == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                i++;
                continue;
            }

            if (text[i] == '\r')
            {
                Assert.True(i + 1 < text.Length && text[i + 1] == '\n', "CR without LF");
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
                i += 2;
                continue;
            }

            Assert.True(text[i] != '\n', $"bare LF outside quotes at {i}");
            field.Append(text[i++]);
        }

        Assert.True(fields.Count == 0 && field.Length == 0, "the last record has no CRLF");
        return records;
    }
}
