using System.Globalization;
using System.Runtime.CompilerServices;

namespace Sluice.Query.Tests.FilterQl;

/// <summary>
/// Reads the conformance tables in <c>Tables/*.txt</c>. Each case line is <c>statement =&gt; expectation</c>; directives
/// set the context for the cases after them:
/// <list type="bullet">
/// <item><c>@now 2024-06-15T12:00:00Z</c>: the evaluation time;</item>
/// <item><c>@entity {...}</c>: the entity as JSON (what the audience test API receives);</item>
/// <item><c>@audience FILTER ... ALIAS slug</c>: an audience that INCLUDE can name.</item>
/// </list>
/// Expectations are <c>true</c>, <c>false</c> or <c>unknown</c> (qlbridge's "not ok"), optionally followed by
/// <c>flip &lt;instant&gt;</c> or <c>flip none</c>; or <c>error L:C [words the message contains]</c>. In statements,
/// <c>⏎</c> stands for a newline.
/// </summary>
internal static class ConformanceTable
{
    public static string Directory([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "Tables");

    public static IEnumerable<ConformanceCase> Load()
    {
        foreach (var file in System.IO.Directory.GetFiles(Directory(), "*.txt").Order(StringComparer.Ordinal))
        {
            var now = new DateTimeOffset(2024, 6, 15, 12, 0, 0, TimeSpan.Zero);
            var entity = "{}";
            var audiences = new List<string>();
            var lineNumber = 0;
            foreach (var raw in File.ReadLines(file))
            {
                lineNumber++;
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                if (line.StartsWith("@now ", StringComparison.Ordinal))
                {
                    now = DateTimeOffset.Parse(line[5..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                    continue;
                }

                if (line.StartsWith("@entity ", StringComparison.Ordinal))
                {
                    entity = line[8..];
                    continue;
                }

                if (line.StartsWith("@audience ", StringComparison.Ordinal))
                {
                    audiences.Add(line[10..].Replace('⏎', '\n'));
                    continue;
                }

                var arrow = line.LastIndexOf(" => ", StringComparison.Ordinal);
                if (arrow < 0)
                {
                    throw new FormatException($"{Path.GetFileName(file)}:{lineNumber}: expected \"statement => expectation\"");
                }

                yield return new ConformanceCase(
                    $"{Path.GetFileName(file)}:{lineNumber}",
                    line[..arrow].Replace('⏎', '\n'),
                    line[(arrow + 4)..].Trim(),
                    entity,
                    now,
                    [.. audiences]);
            }
        }
    }
}

internal sealed record ConformanceCase(
    string Where, string Statement, string Expectation, string Entity, DateTimeOffset Now, string[] Audiences);
