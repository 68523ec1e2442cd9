using System.Diagnostics;
using System.Text.Json;
using Sluice.Query.Lql;

namespace Sluice.Query.Tests;

/// <summary>
/// A throughput check for the braze_users mapping, run on demand (explicit) because timings on shared
/// machines are noise, not a pass/fail signal: <c>Sluice.Query.Tests -method *MappingThroughput* -explicit only</c>.
/// </summary>
public class MappingThroughput(ITestOutputHelper output)
{
    [Fact(Explicit = true)]
    public void Braze_users_records_per_second()
    {
        var mapping = CompiledMapping.Compile(BuiltInMappings.BrazeUsers);
        var bodies = Enumerable.Range(0, 1000).Select(i => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["city"] = "AnyTown", ["country"] = "United States", ["first_name"] = $"John{i}", ["gender"] = "male",
            ["language"] = "English", ["last_name"] = "Smith", ["date_of_birth"] = "19820101",
            ["phone_number"] = "5551231234", ["time_zone"] = "GMT+7", ["twitter_handle"] = "johnsmith",
            ["email"] = $"John.Smith{i}@Email.com", ["braze_id"] = $"b{i}",
        })).ToArray();
        var documents = bodies.Select(b => JsonDocument.Parse(b)).ToArray();

        const int n = 500_000;
        var written = 0;
        for (var i = 0; i < 50_000; i++)
        {
            written += mapping.Map(documents[i % documents.Length].RootElement).Fields.Count;
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            written += mapping.Map(documents[i % documents.Length].RootElement).Fields.Count;
        }

        var mapOnly = n / clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (var i = 0; i < n; i++)
        {
            using var doc = JsonDocument.Parse(bodies[i % bodies.Length]);
            written += mapping.Map(doc.RootElement).Fields.Count;
        }

        var parseAndMap = n / clock.Elapsed.TotalSeconds;
        foreach (var doc in documents)
        {
            doc.Dispose();
        }

        output.WriteLine($"map only: {mapOnly:N0} records/s; parse + map: {parseAndMap:N0} records/s ({written} fields)");
        Assert.True(written > 0);
    }
}
