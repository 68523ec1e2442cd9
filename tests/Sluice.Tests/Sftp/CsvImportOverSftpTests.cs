using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Tests.Sftp;

/// <summary>
/// A csv-import job end to end over the test script's OpenSSH server: a client_pgp authorization, and the same 50k
/// rows plain, gzipped, and gzipped then PGP-encrypted, each imported once, into profiles.
/// </summary>
public sealed class CsvImportOverSftpTests
{
    [Fact]
    public async Task A_job_imports_plain_gzipped_and_PGP_encrypted_files_over_SFTP_with_every_row_once()
    {
        var sftp = SftpTestServer.Require();
        await using var server = await TestServer.StartAsync();
        var root = $"imp-{Guid.NewGuid():N}";
        var plain = Encoding.UTF8.GetBytes(ImportHarness.PeopleCsv(50_000));
        var gz = Gzip(Encoding.UTF8.GetBytes(ImportHarness.PeopleCsv(50_000, 50_000)));
        var recipient = TestPgp.Generate("import@example.com", "Import-Pass-1");
        var encrypted = recipient.Encrypt(Gzip(Encoding.UTF8.GetBytes(ImportHarness.PeopleCsv(50_000, 100_000))));
        using (var client = sftp.Client())
        {
            client.CreateDirectory(root);
            client.CreateDirectory($"{root}/in");
            client.UploadFile(new MemoryStream(plain), $"{root}/in/a.csv");
            client.UploadFile(new MemoryStream(gz), $"{root}/in/b.csv.gz");
            client.UploadFile(new MemoryStream(encrypted), $"{root}/in/c.csv.gz.pgp");
        }
        var body = SftpAuthorizationTests.Client(sftp, password: sftp.Password, type: "client_pgp");
        body["config"]!["pgp_private_key"] = recipient.ArmoredPrivateKey();
        body["config"]!["pgp_passphrase"] = recipient.Passphrase;
        var (authId, _, _) = await SftpAuthorizationTests.CreateAsync(server, server.AdminToken, body);

        var created = await (await server.Http.PostAsJsonAsync($"/v2/job/csv-import?key={server.AdminToken}", new JsonObject
        {
            ["label"] = "sftp import",
            ["auth_ids"] = new JsonArray(authId),
            ["config"] = new JsonObject { ["directory"] = $"{root}/in", ["after_import"] = $"move:{root}/done" },
        })).AssertOkAsync();
        var id = (string)created["data"]!["id"]!;

        JsonObject job;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            while (true)
            {
                job = (JsonObject)(await server.Http.GetFromJsonAsyncNode($"/v2/job/{id}?key={server.AdminToken}"))["data"]!;
                if ((string?)job["status"] is "completed" or "failed") break;
                await Task.Delay(50, timeout.Token);
            }
        }
        Assert.True((string?)job["status"] == "completed", job.ToJsonString());
        Assert.Equal(150_000, ImportHarness.Metric(job, "rows_stored"));
        Assert.Equal(3, ImportHarness.Metric(job, "files_imported"));
        Assert.Equal(150_000, await server.StoredEventCountAsync());
        using (var client = sftp.Client())
        {
            Assert.Equal(["a.csv", "b.csv.gz", "c.csv.gz.pgp"], client.ListDirectory($"{root}/done").Where(f => f.IsRegularFile).Select(f => f.Name).Order(StringComparer.Ordinal));
        }
        await server.WaitForProcessingAsync();
        Assert.Equal("São Paulo", (string)(await server.GetProfileAsync("user_id", "u0149997", server.AdminToken))["data"]!["city"]!);
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest)) gz.Write(bytes);
        return output.ToArray();
    }
}
