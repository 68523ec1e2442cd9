using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.Collect.Bulk;

namespace Sluice.Tests;

/// <summary>A small gzip body built to inflate enormously, on a server with the default bulk limits.</summary>
public sealed class BulkGzipBombTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>64 MiB of one repeated line: a few dozen KiB once compressed.</summary>
    private const int InflatedBytes = 64 * 1024 * 1024;

    private TestServer S => fixture.Server;

    private static byte[] Bomb(string header, string line)
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(header));
            var block = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(line, 64 * 1024 / line.Length)));
            for (var written = 0; written < InflatedBytes; written += block.Length) gzip.Write(block);
        }
        return compressed.ToArray();
    }

    [Theory]
    [InlineData("text/csv")]
    [InlineData("application/x-ndjson")]
    public async Task A_gzip_bomb_is_refused_with_413_that_names_the_ratio_and_the_server_keeps_serving(string contentType)
    {
        var token = await S.TokenAsync("data_manager");
        var filler = new string('a', 1000);
        var bomb = contentType == "text/csv" ? Bomb("id,note\n", $"1,{filler}\n") : Bomb("", $"{{\"note\":\"{filler}\"}}\n");
        Assert.True(bomb.Length < InflatedBytes / 100, $"the bomb is {bomb.Length} bytes compressed");
        var before = await S.StoredEventCountAsync();
        using var content = new ByteArrayContent(bomb);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        content.Headers.ContentEncoding.Add("gzip");

        var response = await S.Http.PostAsync($"/collect/bulk/bomb?key={token}", content);

        var text = await response.Content.ReadAsStringAsync();
        var message = await response.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("compression bomb", message, StringComparison.Ordinal);
        // Rows read before the refusal are stored and counted, as for any input that ends early; only the first few
        // MiB are ever inflated.
        var stored = (long)JsonNode.Parse(text)!["data"]!["message_count"]!;
        Assert.Equal(before + stored, await S.StoredEventCountAsync());
        Assert.InRange(stored, 0, 2 * InflationGuardStream.RatioCheckAfterBytes / filler.Length);

        var ok = await S.Http.PostAsync($"/collect/bulk/bomb?key={token}", new StringContent("id,note\n1,after\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(1, (long)(await ok.AssertOkAsync())["data"]!["message_count"]!);
    }
}
