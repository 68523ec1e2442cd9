using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Sluice.EventLog;
using Sluice.Import;

namespace Sluice.Tests;

/// <summary>
/// The import pipeline on one file, from bytes on disk to events in the log: the CSV shapes real exports have, the
/// encodings, the Braze segment export format, and random input that must never escape as an exception.
/// </summary>
public sealed class CsvImportPipelineTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sluice-pipeline-").FullName;

    private TestServer Server => fixture.Server;

    private async Task<(ImportFileState State, List<JsonObject> Events, List<ImportRowError> Errors)> ImportAsync(
        string name, byte[] bytes, string stream, JsonObject? extra = null, IImportDecryption? decryption = null)
    {
        await File.WriteAllBytesAsync(Path.Combine(_folder, name), bytes);
        var settings = new JsonObject { ["directory"] = ".", ["stream"] = stream };
        foreach (var (k, v) in extra ?? []) settings[k] = v?.DeepClone();
        var config = CsvImportConfig.Parse(settings, out var errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
        var info = new FileInfo(Path.Combine(_folder, name));
        var refused = new List<ImportRowError>();
        var importer = Server.Services.GetRequiredService<CsvFileImporter>();
        await using var source = new LocalFolderSource(_folder, decryption);
        var state = await importer.ImportAsync(new ImportTarget(Server.Account.Id, null, config), source,
            new ImportFile(name, name, info.Length, info.LastWriteTimeUtc), null, new ImportProgress(), e =>
            {
                refused.Add(e);
                return Task.CompletedTask;
            }, CancellationToken.None);
        var events = new List<JsonObject>();
        await foreach (var e in Server.Services.GetRequiredService<IEventLog>().ScanAccountAsync(Server.Account.Id, CancellationToken.None))
        {
            if (e.Stream == stream) events.Add(JsonNode.Parse(e.Body)!.AsObject());
        }
        return (state, events, refused);
    }

    [Fact]
    public async Task Quoted_commas_embedded_newlines_UTF8_names_a_BOM_and_a_last_row_without_newline_survive()
    {
        var text = "\uFEFFuser_id;name;city;note\r\n" +
            "u1;Zoë;\"São Paulo\";\"a, b\"\r\n" +
            "u2;Müller;\"Washington, D.C.\";\"line one\nline two\"\r\n" +
            "u3;\"Brown \"\"Bo\"\"\";Zürich;last";
        var (state, events, errors) = await ImportAsync("edge.csv", Encoding.UTF8.GetBytes(text), "edge_utf8");

        Assert.Empty(errors);
        Assert.Equal((ImportFileState.Done, 3L, 3L), (state.Status, state.Rows, state.Stored));
        Assert.Equal(["user_id", "name", "city", "note"], events[0].Select(p => p.Key));
        Assert.Equal(("Zoë", "São Paulo", "a, b"), ((string)events[0]["name"]!, (string)events[0]["city"]!, (string)events[0]["note"]!));
        Assert.Equal(("Müller", "Washington, D.C.", "line one\nline two"), ((string)events[1]["name"]!, (string)events[1]["city"]!, (string)events[1]["note"]!));
        Assert.Equal(("Brown \"Bo\"", "last"), ((string)events[2]["name"]!, (string)events[2]["note"]!));
    }

    [Fact]
    public async Task A_Latin1_file_is_read_as_Latin1_when_configured()
    {
        var bytes = Encoding.Latin1.GetBytes("user_id,name,city\nu1,Zoë,São Paulo\nu2,Müller,Zürich\n");
        var (state, events, errors) = await ImportAsync("latin1.csv", bytes, "edge_latin1", new JsonObject { ["encoding"] = "latin-1" });

        Assert.Empty(errors);
        Assert.Equal(2, state.Stored);
        Assert.Equal(["Zoë São Paulo", "Müller Zürich"], events.Select(e => $"{e["name"]} {e["city"]}"));
    }

    [Fact]
    public async Task A_file_without_a_header_uses_the_configured_column_names_and_a_tab_delimiter()
    {
        var (state, events, _) = await ImportAsync("plain.tsv", Encoding.UTF8.GetBytes("u1\tOslo\nu2\tBergen\n"), "edge_tab",
            new JsonObject { ["has_header"] = false, ["headers"] = new JsonArray("user_id", "city"), ["delimiter"] = "t" });
        Assert.Equal(2, state.Stored);
        Assert.Equal("Bergen", (string)events[1]["city"]!);
    }

    [Fact]
    public async Task An_encrypted_file_without_a_key_fails_with_a_clear_reason_and_stores_nothing()
    {
        var (state, events, errors) = await ImportAsync("users.csv.pgp", [1, 2, 3], "edge_pgp");
        Assert.Equal(ImportFileState.Failed, state.Status);
        Assert.Empty(events);
        Assert.Contains("encrypted, but its authorization has no PGP private key", Assert.Single(errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_encrypted_gzip_and_an_encrypted_zip_are_decrypted_then_inflated_as_streams()
    {
        var gz = Path.Combine(_folder, "plain.csv.gz");
        ImportHarness.WriteGzip(gz, ImportHarness.PeopleCsv(300));
        var (gzState, gzEvents, _) = await ImportAsync("rows.csv.gz.pgp", Xor.Apply(await File.ReadAllBytesAsync(gz)), "edge_pgp_gz", decryption: new Xor());
        Assert.Equal((ImportFileState.Done, 300L), (gzState.Status, gzState.Stored));
        Assert.Equal("u0000299", (string)gzEvents[^1]["user_id"]!);

        // A decrypted zip cannot be seeked as it arrives: it is spooled to a temporary file first.
        var zip = Path.Combine(_folder, "plain.zip");
        ImportHarness.WriteZip(zip, ("a.csv", ImportHarness.PeopleCsv(200)), ("b.csv", ImportHarness.PeopleCsv(100, 200)));
        var (zipState, _, _) = await ImportAsync("rows.zip.gpg", Xor.Apply(await File.ReadAllBytesAsync(zip)), "edge_pgp_zip", decryption: new Xor());
        Assert.Equal((ImportFileState.Done, 300L), (zipState.Status, zipState.Stored));
    }

    /// <summary>A stand-in cipher (each byte XOR 0x5A) for the decryption seam: the real one is OpenPGP, with the SFTP sources.</summary>
    private sealed class Xor : IImportDecryption
    {
        public static byte[] Apply(byte[] bytes) => [.. bytes.Select(b => (byte)(b ^ 0x5A))];

        public Stream Decrypt(Stream encrypted) => new XorStream(encrypted);

        private sealed class XorStream(Stream inner) : Stream
        {
            public override int Read(byte[] buffer, int offset, int count)
            {
                var n = inner.Read(buffer, offset, count);
                for (var i = offset; i < offset + n; i++) buffer[i] ^= 0x5A;
                return n;
            }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }

    [Fact]
    public async Task Refused_rows_past_the_listing_limit_are_counted_but_not_listed()
    {
        var text = new StringBuilder("user_id,city\n");
        for (var i = 0; i < CsvFileImporter.MaxListedErrors + 5; i++) text.Append("only-one-field\n");
        text.Append("u1,Oslo\n");

        var (state, _, errors) = await ImportAsync("many-bad.csv", Encoding.UTF8.GetBytes(text.ToString()), "edge_many_bad");

        Assert.Equal((ImportFileState.Done, 1L, CsvFileImporter.MaxListedErrors + 5L), (state.Status, state.Stored, state.Rejected));
        Assert.Equal(CsvFileImporter.MaxListedErrors + 1, errors.Count);
        Assert.EndsWith("further refused rows of this file are counted, not listed", errors[^1].Reason, StringComparison.Ordinal);
        Assert.Equal(CsvFileImporter.MaxListedErrors + 2, errors[^1].Line);
    }

    [Fact]
    public async Task A_corrupt_gzip_file_fails_with_a_reason()
    {
        var (state, _, errors) = await ImportAsync("broken.csv.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff], "edge_gz");
        Assert.Equal(ImportFileState.Failed, state.Status);
        Assert.StartsWith("the file cannot be read", Assert.Single(errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Braze_segment_export_from_the_simulator_imports_every_row_into_profiles()
    {
        var path = Path.Combine(_folder, "segment.csv");
        var exit = await Cli.SluiceCli.Build().Parse(["braze-sim", "generate", "--users", "3000", "--out", path, "--seed", "7"]).InvokeAsync();
        Assert.Equal(0, exit);

        var (state, events, errors) = await ImportAsync("segment.csv", await File.ReadAllBytesAsync(path), "braze_segment_export");

        Assert.Empty(errors);
        Assert.Equal((ImportFileState.Done, 3000L), (state.Status, state.Stored));
        Assert.Contains(events, e => (string?)e["Braze ID"] is { Length: 24 });
        await Server.WaitForProcessingAsync();
        var profile = await Server.GetProfileAsync("user_id", "u0000042", Server.AdminToken);
        Assert.Equal("u0000042", (string)profile["data"]!["user_id"]!);
    }

    [Fact]
    public async Task Random_bytes_and_random_rows_never_throw_out_of_the_pipeline()
    {
        var cell = Gen.OneOf(Gen.String[Gen.Char.AlphaNumeric, 0, 8], Gen.Const("\""), Gen.Const(","), Gen.Const("\n"), Gen.Const("\r"), Gen.Const("é"), Gen.Const("\"a,b\""));
        var rows = Gen.Select(Gen.Int[1, 6], Gen.Int[0, 30]).SelectMany((cols, n) =>
            cell.Array[cols].Array[n].Select(r => string.Join("\n", r.Select(c => string.Join(",", c)))));
        var blobs = Gen.OneOf(rows.Select(t => Encoding.UTF8.GetBytes(t)), Gen.Byte.Array[0, 300]);
        var names = Gen.OneOf(Gen.Const("f.csv"), Gen.Const("f.csv.gz"), Gen.Const("f.zip"), Gen.Const("f.csv.gpg"));
        var i = 0;
        await Gen.Select(blobs, names).SampleAsync(async t =>
        {
            var (state, _, _) = await ImportAsync($"{Interlocked.Increment(ref i)}-{t.Item2}", t.Item1, "fuzz");
            return state.Status is ImportFileState.Done or ImportFileState.Failed;
        }, iter: 200, threads: 1);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
