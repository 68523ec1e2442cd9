using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace Sluice.Tests;

/// <summary>csv-import jobs over real HTTP, reading real files from a local folder standing in for the SFTP source.</summary>
public sealed class CsvImportJobTests
{
    private static JsonObject Config(string pattern = "*", string? frequency = null, string? after = null)
    {
        var config = new JsonObject { ["directory"] = "in", ["file_pattern"] = pattern, ["stream"] = "braze_segment_export" };
        if (frequency is not null) config["run_frequency"] = frequency;
        if (after is not null) config["after_import"] = after;
        return config;
    }

    [Fact]
    public async Task A_50k_row_csv_is_imported_once_into_profiles_and_the_job_completes()
    {
        await using var h = await ImportHarness.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(h.Sources.Folder("a1"), "users.csv"), ImportHarness.PeopleCsv(50_000));

        var id = await h.CreateJobAsync("a1", Config("*.csv"));
        var job = await h.WaitForAsync(id, "completed");

        Assert.Equal(50_000, ImportHarness.Metric(job, "rows_stored"));
        Assert.Equal(0, ImportHarness.Metric(job, "rows_refused"));
        Assert.Equal(1, ImportHarness.Metric(job, "files_imported"));
        Assert.Equal(50_000, await h.Server.StoredEventCountAsync());
        await h.Server.WaitForProcessingAsync();
        var profile = await h.Server.GetProfileAsync("user_id", "u0000001", h.Server.AdminToken);
        Assert.Equal("São Paulo", (string)profile["data"]!["city"]!);
        Assert.Contains(await h.LogsAsync(id), l => l.StartsWith("users.csv: done, 50000 rows stored, 0 refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_rows_gzipped_and_zipped_are_all_imported()
    {
        await using var h = await ImportHarness.StartAsync();
        var folder = h.Sources.Folder("gz");
        ImportHarness.WriteGzip(Path.Combine(folder, "part1.csv.gz"), ImportHarness.PeopleCsv(50_000));
        // Every CSV inside a zip, and nothing else in it.
        ImportHarness.WriteZip(Path.Combine(folder, "part2.zip"),
            ("a.csv", ImportHarness.PeopleCsv(30_000, 50_000)), ("notes.md", "not rows"), ("sub/b.csv", ImportHarness.PeopleCsv(20_000, 80_000)));

        var id = await h.CreateJobAsync("gz", Config());
        var job = await h.WaitForAsync(id, "completed");

        Assert.Equal(100_000, ImportHarness.Metric(job, "rows_stored"));
        Assert.Equal(2, ImportHarness.Metric(job, "files_imported"));
        Assert.Equal(100_000, await h.Server.StoredEventCountAsync());
        await h.Server.WaitForProcessingAsync();
        Assert.Equal("p0099999@example.com", (string)(await h.Server.GetProfileAsync("user_id", "u0099999", h.Server.AdminToken))["data"]!["email"]!);
    }

    [Fact]
    public async Task Bad_rows_are_logged_with_their_line_and_listed_in_the_error_file_and_the_file_completes()
    {
        await using var h = await ImportHarness.StartAsync();
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes("user_id,email,city\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes("u1,a@example.com,Oslo\n"));                 // line 2: good
        bytes.AddRange(Encoding.UTF8.GetBytes("u2,b@example.com\n"));                      // line 3: a column short
        bytes.AddRange(Encoding.UTF8.GetBytes("u3,c@example.com,"));                        // line 4: a Latin-1 byte in UTF-8
        bytes.Add(0xE9);
        bytes.AddRange(Encoding.UTF8.GetBytes("\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes($"{new string('x', 2000)},d@example.com,Bergen\n")); // line 5: identity over 1 KB
        bytes.AddRange(Encoding.UTF8.GetBytes("\"u5\",\"e@example.com\",\"Trondheim, Norway\"\n")); // line 6: good
        bytes.AddRange(Encoding.UTF8.GetBytes("u6,f@example.com,Oslo,extra\n"));            // line 7: a column too many
        await File.WriteAllBytesAsync(Path.Combine(h.Sources.Folder("bad"), "rows.csv"), [.. bytes]);

        var id = await h.CreateJobAsync("bad", Config());
        var job = await h.WaitForAsync(id, "completed");

        Assert.Equal(2, ImportHarness.Metric(job, "rows_stored"));
        Assert.Equal(4, ImportHarness.Metric(job, "rows_refused"));
        var response = await h.Http.GetAsync(h.Url($"/v2/job/{id}/errors"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
        [
            "file,line,reason",
            "rows.csv,3,\"2 fields, but the header has 3 columns\"",
            "rows.csv,4,\"column \"\"city\"\" is not valid UTF-8\"",
            "rows.csv,5,\"identity field \"\"user_id\"\": identity value is 2000 bytes; at most 1024 are allowed\"",
            "rows.csv,7,\"4 fields, but the header has 3 columns\"",
        ], lines);
        var logs = await h.LogsAsync(id);
        foreach (var line in new[] { 3, 4, 5, 7 }) Assert.Contains(logs, l => l.StartsWith($"rows.csv line {line}: ", StringComparison.Ordinal));
        // Identity values never reach the run log.
        Assert.DoesNotContain(logs, l => l.Contains("xxxxxxxx", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_error_file_is_scoped_to_its_account()
    {
        await using var h = await ImportHarness.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(h.Sources.Folder("scoped"), "rows.csv"), "user_id\nu1\n");
        var id = await h.CreateJobAsync("scoped", Config());
        await h.WaitForAsync(id, "completed");
        var (_, otherToken) = await h.Server.OtherAccountAsync();
        var response = await h.Http.GetAsync($"/v2/job/{id}/errors?key={otherToken}");
        await response.AssertErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_consoles_error_file_link_needs_a_console_session_and_a_token_alone_is_sent_to_sign_in()
    {
        await using var h = await ImportHarness.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(h.Sources.Folder("console"), "rows.csv"), "user_id\nu1\n");
        var id = await h.CreateJobAsync("console", Config());
        await h.WaitForAsync(id, "completed");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = h.Server.BaseAddress };
        var response = await http.GetAsync($"/jobs/{id}/errors.csv?key={h.Server.AdminToken}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_polling_job_imports_a_file_added_while_it_sleeps_and_not_a_re_upload_of_an_unchanged_file()
    {
        await using var h = await ImportHarness.StartAsync(fakeClock: true);
        var folder = h.Sources.Folder("poll");
        await File.WriteAllTextAsync(Path.Combine(folder, "one.csv"), ImportHarness.PeopleCsv(1_000));

        var id = await h.CreateJobAsync("poll", Config("*.csv", frequency: "5"));
        await h.WaitForAsync(id, "sleeping", j => ImportHarness.Metric(j, "rows_stored") == 1_000);

        // A new file, and the first one uploaded again unchanged (a new modification time, the same bytes).
        await File.WriteAllTextAsync(Path.Combine(folder, "two.csv"), ImportHarness.PeopleCsv(500, 1_000));
        File.SetLastWriteTimeUtc(Path.Combine(folder, "one.csv"), DateTime.UtcNow.AddMinutes(1));
        h.Clock!.Advance(TimeSpan.FromMinutes(5));

        var job = await h.WaitForAsync(id, "sleeping", j => ImportHarness.Metric(j, "files_imported") == 2 && ImportHarness.Metric(j, "files_duplicate") == 1);
        Assert.Equal(1_500, ImportHarness.Metric(job, "rows_stored"));
        Assert.Equal(1_500, await h.Server.StoredEventCountAsync());
        Assert.Contains(await h.LogsAsync(id), l => l == "one.csv: not imported, same content as in/one.csv (already imported)");

        // Nothing new: the next poll imports nothing.
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        await h.WaitForAsync(id, "sleeping", j => (long)j["progress"]!["files"]!["skipped"]! == 2);
        Assert.Equal(1_500, await h.Server.StoredEventCountAsync());
    }

    [Fact]
    public async Task A_polling_job_paused_while_it_sleeps_polls_again_once_resumed_and_a_cancelled_one_keeps_its_totals()
    {
        await using var h = await ImportHarness.StartAsync(fakeClock: true);
        var folder = h.Sources.Folder("ops");
        await File.WriteAllTextAsync(Path.Combine(folder, "one.csv"), ImportHarness.PeopleCsv(100));
        var id = await h.CreateJobAsync("ops", Config("*.csv", frequency: "60"));
        await h.WaitForAsync(id, "sleeping", j => ImportHarness.Metric(j, "rows_stored") == 100);

        var paused = await (await h.Http.PostAsync(h.Url($"/v2/job/{id}/pause"), null)).AssertOkAsync();
        Assert.Equal("paused", (string)paused["data"]!["status"]!);
        await File.WriteAllTextAsync(Path.Combine(folder, "two.csv"), ImportHarness.PeopleCsv(50, 100));
        // Resuming polls at once, without waiting for the rest of the period.
        await (await h.Http.PostAsync(h.Url($"/v2/job/{id}/resume"), null)).AssertOkAsync();
        var job = await h.WaitForAsync(id, "sleeping", j => ImportHarness.Metric(j, "rows_stored") == 150);
        Assert.NotNull(job["progress"]!["next_run"]);

        var cancelled = await (await h.Http.PostAsync(h.Url($"/v2/job/{id}/cancel"), null)).AssertOkAsync();
        Assert.Equal("completed", (string)cancelled["data"]!["status"]!);
        Assert.Equal(150, ImportHarness.Metric(cancelled["data"]!.AsObject(), "rows_stored"));
        Assert.Equal(2, ImportHarness.Metric(cancelled["data"]!.AsObject(), "files_imported"));
        Assert.Equal(150, await h.Server.StoredEventCountAsync());
    }

    [Fact]
    public async Task After_import_moves_or_deletes_the_file()
    {
        await using var h = await ImportHarness.StartAsync();
        var moved = h.Sources.Folder("mv");
        await File.WriteAllTextAsync(Path.Combine(moved, "a.csv"), "user_id\nu1\n");
        var deleted = h.Sources.Folder("rm");
        await File.WriteAllTextAsync(Path.Combine(deleted, "b.csv"), "user_id\nu2\n");

        await h.WaitForAsync(await h.CreateJobAsync("mv", Config(after: "move:done")), "completed");
        await h.WaitForAsync(await h.CreateJobAsync("rm", Config(after: "delete")), "completed");

        Assert.False(File.Exists(Path.Combine(moved, "a.csv")));
        Assert.True(File.Exists(Path.Combine(h.Sources.Root, "mv", "done", "a.csv")));
        Assert.False(File.Exists(Path.Combine(deleted, "b.csv")));
    }

    [Theory]
    [InlineData("""{"file_pattern":"*.csv"}""", "config.directory is required")]
    [InlineData("""{"directory":"in","run_frequency":"hourly"}""", "config.run_frequency must be")]
    [InlineData("""{"directory":"in","after_import":"archive"}""", "config.after_import must be")]
    [InlineData("""{"directory":"in","encoding":"utf-16"}""", "config.encoding \"utf-16\" is not supported")]
    [InlineData("""{"directory":"in","delimiter":"ab"}""", "config.delimiter \"ab\" is not usable")]
    [InlineData("""{"directory":"../etc"}""", "config.directory must not contain '..'")]
    [InlineData("""{"directory":"missing"}""", "config.directory: \"missing\" cannot be listed")]
    [InlineData("""{"directory":"in","colour":"blue"}""", "config.colour is not a csv-import setting")]
    public async Task A_bad_config_is_a_400_naming_the_key(string config, string message)
    {
        await using var h = await ImportHarness.StartAsync();
        h.Sources.Folder("cfg");
        var body = new JsonObject { ["label"] = "x", ["auth_ids"] = new JsonArray("cfg"), ["config"] = JsonNode.Parse(config) };
        var response = await h.Http.PostAsJsonAsync(h.Url("/v2/job/csv-import"), body);
        Assert.Contains(message, await response.AssertErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_authorization_without_an_import_source_is_refused_with_the_reason()
    {
        await using var h = await ImportHarness.StartAsync();
        var body = new JsonObject { ["label"] = "x", ["auth_ids"] = new JsonArray("nope"), ["config"] = Config() };
        var response = await h.Http.PostAsJsonAsync(h.Url("/v2/job/csv-import"), body);
        Assert.Contains("no import source for this authorization", await response.AssertErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }
}

/// <summary>Random create bodies for csv-import jobs: every answer is a 201 or a 4xx with the JSON envelope, never a 5xx.</summary>
public sealed class CsvImportConfigFuzzTests
{
    [Fact]
    public async Task Random_configs_are_answered_with_a_created_job_or_a_4xx_never_a_5xx()
    {
        await using var h = await ImportHarness.StartAsync();
        h.Sources.Folder("fz");
        string[] keys = ["directory", "file_pattern", "stream", "delimiter", "has_header", "headers", "encoding", "timestamp_field", "run_frequency", "after_import", "other"];
        string[] words = ["in", "once", "5", "0", "t", ";", "ab", "latin-1", "utf-16", "move:done", "move:../x", "delete", "*.csv", "../x", ""];
        Gen<JsonNode?> text = Gen.String.Select(x => (JsonNode?)JsonValue.Create(x));
        Gen<JsonNode?> word = Gen.Int[0, words.Length - 1].Select(i => (JsonNode?)JsonValue.Create(words[i]));
        Gen<JsonNode?> number = Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i));
        Gen<JsonNode?> flag = Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b));
        Gen<JsonNode?> list = Gen.Int[0, words.Length - 1].Array[0, 3].Select(a => (JsonNode?)new JsonArray([.. a.Select(i => (JsonNode?)JsonValue.Create(words[i]))]));
        Gen<JsonNode?> nothing = Gen.Bool.Select(_ => (JsonNode?)null);
        var values = Gen.OneOf(text, word, word, number, flag, list, nothing);
        var configs = Gen.Select(Gen.Int[0, keys.Length - 1], values).Array[0, 6];
        var statuses = new List<int>();
        await configs.SampleAsync(async pairs =>
        {
            var config = new JsonObject();
            foreach (var (k, v) in pairs) config[keys[k]] = v?.DeepClone();
            var body = new JsonObject { ["label"] = "fuzz", ["auth_ids"] = new JsonArray("fz"), ["config"] = config };
            var response = await h.Http.PostAsJsonAsync(h.Url("/v2/job/csv-import"), body);
            statuses.Add((int)response.StatusCode);
            if (!response.IsSuccessStatusCode) await response.AssertErrorAsync(response.StatusCode);
            return (int)response.StatusCode < 500;
        }, iter: 150, threads: 1);
        Assert.All(statuses, s => Assert.True(s is 201 or (>= 400 and < 500), $"status {s}"));
    }
}
