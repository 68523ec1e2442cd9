using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Sluice.Tests;

/// <summary>The bulk upload limit (<c>Sluice:Collect:MaxBulkBytes</c>), on a server where it is small enough to cross cheaply.</summary>
public sealed class BulkCollectLimitTests(BulkCollectLimitTests.SmallBulkLimit fixture) : IClassFixture<BulkCollectLimitTests.SmallBulkLimit>
{
    public sealed class SmallBulkLimit : IAsyncLifetime
    {
        public TestServer Server { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Server = await TestServer.StartAsync(b =>
            b.Configuration.AddInMemoryCollection([new("Sluice:Collect:MaxBulkBytes", "2000000")]));

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    /// <summary>About 4 MB of CSV, twice the limit.</summary>
    private const int Rows = 100_000;

    private TestServer S => fixture.Server;

    private static byte[] Csv(int rows)
    {
        var text = new StringBuilder("id,note\n");
        for (var i = 0; i < rows; i++) text.Append(i).Append(",a row padded to about forty bytes\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [Fact]
    public async Task Declared_length_over_the_limit_is_413_before_anything_is_read()
    {
        var token = await S.TokenAsync("data_manager");
        var before = await S.StoredEventCountAsync();
        using var content = new ByteArrayContent(Csv(Rows));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");

        var message = await (await S.Http.PostAsync($"/collect/bulk/limit?key={token}", content)).AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("2000000", message, StringComparison.Ordinal);
        Assert.Equal(before, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Chunked_upload_over_the_limit_is_413_and_says_how_many_rows_were_stored()
    {
        var token = await S.TokenAsync("data_manager");
        var before = await S.StoredEventCountAsync();
        using var content = new StreamContent(new MemoryStream(Csv(Rows)));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/collect/bulk/limit?key={token}") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await S.Http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        await response.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge);
        var stored = (long)JsonNode.Parse(text)!["data"]!["message_count"]!;
        // Kestrel checks the limit on the bytes it has taken in, up to its 1 MB request buffer ahead of what was read,
        // so the rows of the first megabyte or so are read and stored before the limit is crossed.
        Assert.InRange(stored, 1, Rows - 1);
        Assert.Equal(before + stored, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Gzip_upload_under_the_limit_that_inflates_past_it_is_413_and_says_how_many_rows_were_stored()
    {
        var token = await S.TokenAsync("data_manager");
        var before = await S.StoredEventCountAsync();
        var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) await gzip.WriteAsync(Csv(Rows));
        Assert.True(compressed.Length < 2_000_000, $"the compressed body ({compressed.Length} bytes) should fit under the limit");
        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Headers.ContentEncoding.Add("gzip");

        var response = await S.Http.PostAsync($"/collect/bulk/limit?key={token}", content);

        var text = await response.Content.ReadAsStringAsync();
        var message = await response.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("inflates to more than the limit of 2000000 bytes", message, StringComparison.Ordinal);
        var stored = (long)JsonNode.Parse(text)!["data"]!["message_count"]!;
        Assert.InRange(stored, 1, Rows - 1);
        Assert.Equal(before + stored, await S.StoredEventCountAsync());
    }
}
