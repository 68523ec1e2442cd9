using System.Text;

namespace Sluice.Query.Lql.Functions;

/// <summary>
/// Translates Go reference-time layouts (<c>2006-01-02 15:04:05</c>), which Lytics mappings use for
/// <c>todate(x, layout)</c>, into .NET custom format strings.
/// </summary>
internal static class GoLayout
{
    // Longest tokens first so that "January" is not read as "Jan" + "uary".
    private static readonly (string Go, string DotNet)[] Tokens =
    [
        ("January", "MMMM"), ("Monday", "dddd"), ("-07:00", "zzz"), ("Z07:00", "K"), ("-0700", "zz00"),
        ("2006", "yyyy"), (".000000", ".ffffff"), (".000", ".fff"), ("Jan", "MMM"), ("Mon", "ddd"), ("MST", "'UTC'"),
        ("_2", "d"), ("01", "MM"), ("02", "dd"), ("03", "hh"), ("04", "mm"), ("05", "ss"), ("06", "yy"), ("15", "HH"),
        ("-07", "zz"), ("PM", "tt"), ("pm", "tt"), ("1", "M"), ("2", "d"), ("3", "h"), ("4", "m"), ("5", "s"),
    ];

    public static bool IsGoLayout(string layout) =>
        layout.Contains("2006", StringComparison.Ordinal)
        || layout.Contains("15:04", StringComparison.Ordinal)
        || layout.Contains("Jan", StringComparison.Ordinal);

    public static string ToDotNet(string layout)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < layout.Length)
        {
            var matched = false;
            foreach (var (go, dotNet) in Tokens)
            {
                if (string.CompareOrdinal(layout, i, go, 0, go.Length) == 0)
                {
                    sb.Append(dotNet);
                    i += go.Length;
                    matched = true;
                    break;
                }
            }

            if (!matched)
            {
                var c = layout[i++];
                if (char.IsAsciiLetter(c) || c is '\'' or '"' or '%' or '\\')
                {
                    sb.Append('\\');
                }

                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
