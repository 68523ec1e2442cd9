using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary><c>POST /collect/bulk/{stream}</c> over real HTTP: CSV dialects, NDJSON, gzip, bad rows, and a large streamed upload.</summary>
public sealed class BulkCollectTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    private static StringContent Body(string text, string contentType) => new(text, Encoding.UTF8, contentType);

    private async Task<HttpResponseMessage> PostAsync(string stream, HttpContent content, string query = "", string? token = null)
    {
        token ??= await S.TokenAsync("data_manager");
        var separator = query.Length > 0 ? "&" : "";
        return await S.Http.PostAsync($"/collect/bulk/{stream}?key={token}{separator}{query}", content);
    }

    private static long Count(JsonObject envelope, string name) => (long)envelope["data"]![name]!;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task A_bulk_row_with_an_identity_value_over_1_KB_is_refused_as_a_single_collected_event_is()
    {
        var ok = Unique("ok");
        var csv = $"email,braze_id\n{ok},bz-{ok}\n{Unique("long")},{new string('b', 2000)}\n";
        var before = await S.StoredEventCountAsync();

        var envelope = await (await PostAsync("braze_users", Body(csv, "text/csv"), "droperrors=true")).AssertOkAsync();

        Assert.Equal((1, 1), (Count(envelope, "message_count"), Count(envelope, "rejected_count")));
        var error = (string)envelope["data"]!["errors"]![0]!;
        Assert.StartsWith("line 3: identity field \"braze_id\": identity value is 2000 bytes", error, StringComparison.Ordinal);
        Assert.Equal(before + 1, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Csv_with_quotes_line_breaks_non_ascii_empty_cells_and_a_bom_builds_profiles()
    {
        var token = await S.TokenAsync("data_manager");
        var (a, b) = (Unique("zoe"), Unique("joao"));
        var csv =
            "\uFEFFemail,braze_id,first_name,city,last_name\r\n" +
            $"{a},bz-{a},Zoë,\"Paris, France\",\r\n" +
            $"{b},bz-{b},\"João\nSecond line\",São Paulo,\"O\"\"Neil\"\r\n";
        var before = await S.StoredEventCountAsync();

        var envelope = await (await PostAsync("braze_users", Body(csv, "text/csv"), token: token)).AssertOkAsync();

        Assert.Equal(2, Count(envelope, "message_count"));
        Assert.Equal(0, Count(envelope, "rejected_count"));
        Assert.Equal(before + 2, await S.StoredEventCountAsync());
        await S.WaitForProcessingAsync();
        var zoe = (await S.GetProfileAsync("email", a, token))["data"]!;
        Assert.Equal("Zoë", (string)zoe["first_name"]!);
        Assert.Equal("Paris, France", (string)zoe["city"]!);
        Assert.Equal($"bz-{a}", (string)zoe["braze_id"]!);
        Assert.Null(zoe["last_name"]);
        var joao = (await S.GetProfileAsync("braze_id", $"bz-{b}", token))["data"]!;
        Assert.Equal("João\nSecond line", (string)joao["first_name"]!);
        Assert.Equal("São Paulo", (string)joao["city"]!);
        Assert.Equal("O\"Neil", (string)joao["last_name"]!);
    }

    [Theory]
    [InlineData("t", '\t')]
    [InlineData("|", '|')]
    [InlineData(";", ';')]
    [InlineData(null, '\t')]
    [InlineData(null, '|')]
    [InlineData(null, ';')]
    public async Task Tab_pipe_and_semicolon_delimiters_are_read_when_named_or_detected(string? delimiter, char separator)
    {
        var token = await S.TokenAsync("data_manager");
        var email = Unique("delim");
        // The value holds a comma, so reading it as comma-separated would split it.
        var csv = $"email{separator}first_name{separator}city\n{email}{separator}Ann, Jr{separator}Oslo\n";
        var query = delimiter is null ? "" : $"delimiter={Uri.EscapeDataString(delimiter)}";

        var envelope = await (await PostAsync("braze_users", Body(csv, "text/csv"), query, token)).AssertOkAsync();

        Assert.Equal(1, Count(envelope, "message_count"));
        await S.WaitForProcessingAsync();
        var profile = (await S.GetProfileAsync("email", email, token))["data"]!;
        Assert.Equal("Ann, Jr", (string)profile["first_name"]!);
        Assert.Equal("Oslo", (string)profile["city"]!);
    }

    [Fact]
    public async Task Headers_parameter_names_the_columns_of_a_file_without_a_header_row()
    {
        var token = await S.TokenAsync("data_manager");
        var email = Unique("headers");
        var csv = $"{email},Bea\n";

        var envelope = await (await PostAsync("braze_users", Body(csv, "text/csv"), "headers=email,first_name", token)).AssertOkAsync();

        Assert.Equal(1, Count(envelope, "message_count"));
        await S.WaitForProcessingAsync();
        Assert.Equal("Bea", (string)(await S.GetProfileAsync("email", email, token))["data"]!["first_name"]!);
    }

    [Fact]
    public async Task Append_adds_its_members_to_every_csv_and_ndjson_row_and_wins_over_a_column_of_the_same_name()
    {
        var token = await S.TokenAsync("data_manager");
        var (a, b) = (Unique("append-csv"), Unique("append-json"));
        var append = "append=" + Uri.EscapeDataString("""{"city":"Berlin","country":"Germany"}""");

        await (await PostAsync("braze_users", Body($"email,city\n{a},Paris\n", "text/csv"), append, token)).AssertOkAsync();
        await (await PostAsync("braze_users", Body($"{{\"email\":\"{b}\",\"city\":\"Rome\",\"first_name\":\"Cy\"}}\n", "application/x-ndjson"), append, token)).AssertOkAsync();

        await S.WaitForProcessingAsync();
        foreach (var email in new[] { a, b })
        {
            var profile = (await S.GetProfileAsync("email", email, token))["data"]!;
            Assert.Equal("Berlin", (string)profile["city"]!);
            Assert.Equal("Germany", (string)profile["country"]!);
        }
        Assert.Equal("Cy", (string)(await S.GetProfileAsync("email", b, token))["data"]!["first_name"]!);
    }

    [Fact]
    public async Task Append_that_is_not_a_json_object_is_refused()
    {
        var message = await (await PostAsync("bulk_test", Body("a\n1\n", "text/csv"), "append=%5B1%5D")).AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("append", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ndjson_stores_one_event_per_line_and_skips_blank_lines()
    {
        var token = await S.TokenAsync("data_manager");
        var email = Unique("ndjson");
        var body = $"\uFEFF{{\"email\":\"{email}\",\"first_name\":\"Di\"}}\r\n\r\n{{\"n\":2}}\n  \n{{\"n\":3,\"nested\":{{\"a\":[1,2]}}}}";
        var before = await S.StoredEventCountAsync();

        var envelope = await (await PostAsync("braze_users", Body(body, "application/x-ndjson"), token: token)).AssertOkAsync();

        Assert.Equal(3, Count(envelope, "message_count"));
        Assert.Equal(before + 3, await S.StoredEventCountAsync());
        await S.WaitForProcessingAsync();
        Assert.Equal("Di", (string)(await S.GetProfileAsync("email", email, token))["data"]!["first_name"]!);
    }

    [Fact]
    public async Task Malformed_ndjson_line_is_refused_by_line_number()
    {
        var before = await S.StoredEventCountAsync();
        var response = await PostAsync("bulk_test", Body("{\"a\":1}\n{\"b\":\n{\"c\":3}\n", "application/x-ndjson"));
        var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("line 2", message, StringComparison.Ordinal);
        Assert.Equal(before + 1, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Gzip_bodies_are_decompressed_by_content_encoding_or_gzip_content_type()
    {
        var token = await S.TokenAsync("data_manager");
        var before = await S.StoredEventCountAsync();

        using var csv = new ByteArrayContent(Gzip("id,name\n1,a\n2,b\n3,c\n"));
        csv.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        csv.Headers.ContentEncoding.Add("gzip");
        var envelope = await (await PostAsync("bulk_test", csv, token: token)).AssertOkAsync();
        Assert.Equal(3, Count(envelope, "message_count"));

        using var ndjson = new ByteArrayContent(Gzip("{\"id\":1}\n{\"id\":2}\n"));
        ndjson.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        envelope = await (await PostAsync("bulk_test", ndjson, "filename=users.ndjson.gz", token)).AssertOkAsync();
        Assert.Equal(2, Count(envelope, "message_count"));

        Assert.Equal(before + 5, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Row_with_too_many_fields_stops_the_upload_naming_its_line_and_keeps_the_rows_before_it()
    {
        var before = await S.StoredEventCountAsync();
        // The quoted line break makes the bad row's line differ from its row number.
        var csv = "id,note\n1,\"two\nlines\"\n2,ok\n3,too,many\n4,after\n5,after\n";

        var response = await PostAsync("bulk_test", Body(csv, "text/csv"));

        var text = await response.Content.ReadAsStringAsync();
        var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("line 5", message, StringComparison.Ordinal);
        Assert.Contains("droperrors", message, StringComparison.Ordinal);
        var data = JsonNode.Parse(text)!["data"]!;
        Assert.Equal(2, (long)data["message_count"]!);
        Assert.Equal(5, (long)data["stopped_at_line"]!);
        Assert.Equal(before + 2, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Droperrors_skips_bad_rows_stores_the_rest_and_reports_the_lines()
    {
        var before = await S.StoredEventCountAsync();
        var csv = "id,note\n1,a\n2,too,many\n3,b\n4\n5,c\n";

        var envelope = await (await PostAsync("bulk_test", Body(csv, "text/csv"), "droperrors=true")).AssertOkAsync();

        Assert.Equal(3, Count(envelope, "message_count"));
        Assert.Equal(2, Count(envelope, "rejected_count"));
        var errors = envelope["data"]!["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("line 3:", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("line 5:", errors[1], StringComparison.Ordinal);
        Assert.Equal(before + 3, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Quote_that_is_never_closed_is_refused_rather_than_swallowing_the_rest_of_the_file()
    {
        var before = await S.StoredEventCountAsync();
        var response = await PostAsync("bulk_test", Body("id,note\n1,a\n2,\"open\n3,b\n4,c\n", "text/csv"));
        var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("line 3", message, StringComparison.Ordinal);
        Assert.Contains("never closed", message, StringComparison.Ordinal);
        Assert.Equal(before + 1, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Row_whose_timestamp_field_is_not_a_time_is_a_line_error()
    {
        var csv = "id,ts\n1,2024-01-02T03:04:05Z\n2,not a time\n3,1704164645\n";
        var envelope = await (await PostAsync("bulk_test", Body(csv, "text/csv"), "timestamp_field=ts&droperrors=true")).AssertOkAsync();
        Assert.Equal(2, Count(envelope, "message_count"));
        Assert.Equal(1, Count(envelope, "rejected_count"));
        Assert.StartsWith("line 3:", (string)envelope["data"]!["errors"]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ndjson_line_over_one_megabyte_is_refused_and_the_next_lines_are_read()
    {
        var before = await S.StoredEventCountAsync();
        var body = "{\"n\":1}\n{\"pad\":\"" + new string('x', 1_200_000) + "\"}\n{\"n\":3}\n";
        var envelope = await (await PostAsync("bulk_test", Body(body, "application/x-ndjson"), "droperrors=true")).AssertOkAsync();
        Assert.Equal(2, Count(envelope, "message_count"));
        Assert.StartsWith("line 2:", (string)envelope["data"]!["errors"]![0]!, StringComparison.Ordinal);
        Assert.Equal(before + 2, await S.StoredEventCountAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("id,note\n")]
    [InlineData(",note\n1,a\n")]
    [InlineData("id,id\n1,a\n")]
    public async Task Empty_upload_or_bad_header_is_400(string csv)
    {
        var before = await S.StoredEventCountAsync();
        await (await PostAsync("bulk_test", Body(csv, "text/csv"))).AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Dryrun_validates_every_row_and_stores_nothing()
    {
        var before = await S.StoredEventCountAsync();

        var envelope = await (await PostAsync("bulk_test", Body("id\n1\n2\n3\n", "text/csv"), "dryrun=true")).AssertOkAsync();
        Assert.Equal(3, Count(envelope, "message_count"));
        Assert.True((bool)envelope["data"]!["dryrun"]!);

        var bad = await PostAsync("bulk_test", Body("id\n1\n2,3\n", "text/csv"), "dryrun=true");
        Assert.Contains("line 3", await bad.AssertErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal(before, await S.StoredEventCountAsync());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/octet-stream")]
    public async Task Unsupported_content_type_is_415(string contentType)
    {
        var before = await S.StoredEventCountAsync();
        var message = await (await PostAsync("bulk_test", Body("id\n1\n", contentType))).AssertErrorAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("text/csv", message, StringComparison.Ordinal);
        Assert.Equal(before, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Filename_ending_in_csv_makes_an_unlabelled_body_csv()
    {
        var envelope = await (await PostAsync("bulk_test", Body("id\n1\n", "application/octet-stream"), "filename=export.csv")).AssertOkAsync();
        Assert.Equal(1, Count(envelope, "message_count"));
    }

    [Fact]
    public async Task Missing_token_is_401_and_a_token_without_data_manager_is_403()
    {
        var before = await S.StoredEventCountAsync();
        await (await S.Http.PostAsync("/collect/bulk/bulk_test", Body("id\n1\n", "text/csv"))).AssertErrorAsync(HttpStatusCode.Unauthorized);
        var observer = await S.TokenAsync("observer");
        await (await PostAsync("bulk_test", Body("id\n1\n", "text/csv"), token: observer)).AssertErrorAsync(HttpStatusCode.Forbidden);
        Assert.Equal(before, await S.StoredEventCountAsync());
    }

    [Fact]
    public async Task Two_hundred_thousand_streamed_rows_are_all_stored()
    {
        const int rows = 200_000;
        var before = await S.StoredEventCountAsync();
        using var content = new GeneratedCsvContent(rows);
        var clock = Stopwatch.StartNew();

        var envelope = await (await PostAsync("bulk_load", content)).AssertOkAsync();

        clock.Stop();
        Assert.Equal(rows, Count(envelope, "message_count"));
        Assert.Equal(before + rows, await S.StoredEventCountAsync());
        Assert.True(content.BytesWritten > 30_000_000, $"the body was only {content.BytesWritten} bytes");
        output.WriteLine($"{rows} rows in {clock.Elapsed.TotalSeconds:F2} s: {rows / clock.Elapsed.TotalSeconds:F0} rows/s");
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }
        return buffer.ToArray();
    }

    /// <summary>A CSV body written as it is sent (chunked, no length), so the test never holds the whole upload.</summary>
    private sealed class GeneratedCsvContent : HttpContent
    {
        /// <summary>About 190 bytes a row, so 200,000 rows (33 MB) cross Kestrel's default cap of 30,000,000 bytes.</summary>
        private static readonly string Padding = new('n', 120);

        private readonly int _rows;

        public GeneratedCsvContent(int rows)
        {
            _rows = rows;
            Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var batch = new StringBuilder(64 * 1024);
            batch.Append("user_id,email,plan,score,note\n");
            for (var i = 0; i < _rows; i++)
            {
                batch.Append("u").Append(i).Append(",user").Append(i).Append("@example.com,\"pro, annual\",").Append(i % 100).Append(',').Append(Padding).Append('\n');
                if (batch.Length > 60 * 1024) await FlushAsync(stream, batch);
            }
            await FlushAsync(stream, batch);
        }

        public long BytesWritten { get; private set; }

        private async Task FlushAsync(Stream stream, StringBuilder batch)
        {
            var bytes = Encoding.UTF8.GetBytes(batch.ToString());
            BytesWritten += bytes.Length;
            await stream.WriteAsync(bytes);
            batch.Clear();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
