using System.Text.Json;

namespace Sluice.Benchmarks;

/// <summary>
/// The baseline of the collect benchmark of record (<c>bench/collect-wrk.sh</c>): a Kestrel endpoint on the same route
/// shape that reads the whole body, parses it as JSON (an object, or an array of them), and answers Lytics' envelope
/// with the count. What Sluice adds on top of this is authentication, validation, the durable log and processing.
/// Runs until stopped; prints its address once listening.
/// </summary>
internal static class BareEndpoint
{
    private static readonly byte[] Ok1 = """{"status":200,"message":"success","data":{"message_count":1}}"""u8.ToArray();

    public static async Task RunAsync(string urls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        app.MapPost("/c/{aid}/{stream}", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            using var doc = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
            var count = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.GetArrayLength() : 1;
            http.Response.ContentType = "application/json";
            if (count == 1)
            {
                await http.Response.Body.WriteAsync(Ok1);
                return;
            }
            await http.Response.WriteAsync($$$"""{"status":200,"message":"success","data":{"message_count":{{{count}}}}}""");
        });
        await app.StartAsync();
        Console.WriteLine($"bare endpoint listening on {urls}");
        await app.WaitForShutdownAsync();
    }
}
