using System.Globalization;
using System.Text;

namespace Sluice.BrazeSimulator.Segments;

/// <summary>Writes a realistic "User Data" segment export for benchmarks, row by row to a stream. Values include
/// quoted commas ("Washington, D.C."), embedded quotes, non-ASCII names and empty fields.
/// About 2% of rows are odd in ways real exports are: a row without user_id (an anonymous profile), a user_id
/// repeated from an earlier row, a line break inside a quoted field, an email with capitals and surrounding spaces,
/// a 255-character last name, or a name that is only whitespace. Every row is still valid RFC 4180.</summary>
internal static class UserCsvGenerator
{
    private static readonly string[] FirstNames =
    [
        "John", "Mary", "José", "Zoë", "Øyvind", "Łukasz", "Renée", "François", "Siobhán", "Björn", "Ana María",
        "Aiko", "Анна", "محمد", "Nguyễn Văn", "Chloé", "Jürgen", "İbrahim", "Søren", "Ngozi", "Priya", "Wei", "Emma",
        "Liam", "Olivia", "Noah", "D'Angelo", "Mary-Kate",
    ];

    private static readonly string[] LastNames =
    [
        "Smith", "Müller", "García", "O'Brien", "Smith, Jr.", "Kowalski", "Dupont", "山田", "Иванова", "Nakamura",
        "Johnson", "Da Silva", "Østergaard", "Nguyen", "Patel", "Brown \"Bo\"", "Van der Berg", "Łęcki", "Öztürk",
        "Williams", "Jones", "Okafor",
    ];

    private static readonly (string City, string Country, string Language, string TimeZone)[] Places =
    [
        ("Washington, D.C.", "US", "en", "America/New_York"), ("New York", "US", "en", "America/New_York"),
        ("São Paulo", "BR", "pt", "America/Sao_Paulo"), ("Zürich", "CH", "de", "Europe/Zurich"),
        ("München", "DE", "de", "Europe/Berlin"), ("Kraków", "PL", "pl", "Europe/Warsaw"),
        ("Tōkyō", "JP", "ja", "Asia/Tokyo"), ("Paris", "FR", "fr", "Europe/Paris"),
        ("London", "GB", "en", "Europe/London"), ("Mumbai", "IN", "en", "Asia/Kolkata"),
        ("Hà Nội", "VN", "vi", "Asia/Ho_Chi_Minh"), ("Portland, OR", "US", "en", "America/Los_Angeles"),
    ];

    private static readonly string[] Genders = ["M", "F", "O", "N", "P", ""];

    public static async Task WriteAsync(Stream output, int users, int seed, string idHeader, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var epoch = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await CsvFields.WriteRecordAsync(writer, ExportColumns.UserDataHeader(idHeader, []));
        var culture = CultureInfo.InvariantCulture;
        var row = new string?[1 + ExportColumns.UserData.Length];
        for (var i = 0; i < users; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var first = Pick(random, FirstNames);
            var last = Pick(random, LastNames);
            var place = Pick(random, Places);
            var created = epoch.AddSeconds(random.Next(0, 60 * 60 * 24 * 700));
            var userId = "u" + i.ToString("D7", culture);
            var email = random.NextDouble() < 0.1 ? null : $"{Ascii(first)}.{Ascii(last)}{i.ToString(culture)}@example.com";

            Array.Clear(row);
            row[0] = ((uint)created.ToUnixTimeSeconds()).ToString("x8", culture) + ((ulong)random.NextInt64()).ToString("x16", culture);
            row[1] = userId;
            row[2] = email;
            row[3] = random.NextDouble() < 0.05 ? null : first;
            row[4] = random.NextDouble() < 0.05 ? null : last;
            row[5] = random.NextDouble() < 0.3 ? null : "+1555" + random.Next(1_000_000, 9_999_999).ToString(culture);
            row[6] = place.Country;
            row[7] = random.NextDouble() < 0.1 ? null : place.City;
            row[8] = place.Language;
            row[9] = place.TimeZone;
            row[10] = Pick(random, Genders);
            row[11] = random.NextDouble() < 0.2 ? null : new DateOnly(1950 + random.Next(0, 55), 1 + random.Next(0, 12), 1 + random.Next(0, 28)).ToString("yyyy-MM-dd", culture);
            row[12] = created.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", culture);
            row[13] = created.AddMinutes(random.Next(1, 600)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", culture);
            row[14] = created.AddDays(random.Next(0, 300)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", culture);
            row[15] = random.Next(0, 500).ToString(culture);
            row[16] = random.NextDouble() < 0.5 ? "" : "1." + random.Next(0, 30).ToString(culture);
            row[17] = random.NextDouble() < 0.3 ? null : "[\"iPhone 15\",\"Pixel 8, Pro\"]";
            row[18] = random.NextDouble() < 0.1 ? row[14] : null;
            row[19] = random.NextDouble() < 0.4 ? row[13] : null;
            row[20] = null;
            row[21] = random.Next(0, 10000).ToString(culture);
            row[22] = (random.Next(0, 50000) / 100m).ToString("0.00", culture);
            row[23] = random.NextDouble() < 0.05 ? $"[{{\"alias_name\":\"{i.ToString(culture)}\",\"alias_label\":\"crm\"}}]" : null;

            if (random.NextDouble() < 0.02)
            {
                MakeOdd(row, random, i);
            }

            await CsvFields.WriteRecordAsync(writer, row);
        }
    }

    private static void MakeOdd(string?[] row, Random random, int i)
    {
        var culture = CultureInfo.InvariantCulture;
        switch (random.Next(6))
        {
            case 0: row[1] = null; break;
            case 1: row[1] = "u" + random.Next(0, Math.Max(1, i)).ToString("D7", culture); break;
            case 2: row[3] = "Mary\nAnn"; break;
            case 3: row[2] = "  " + (row[2] ?? "someone@example.com").ToUpperInvariant() + " "; break;
            case 4: row[4] = new string('x', 255); break;
            default: row[3] = "   "; break;
        }
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    private static string Ascii(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.Length == 0 ? "user" : builder.ToString();
    }
}
