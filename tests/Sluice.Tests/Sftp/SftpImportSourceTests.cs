using System.Text;
using System.Text.Json.Nodes;
using Sluice.Import;

namespace Sluice.Tests.Sftp;

/// <summary>
/// <see cref="IImportSource"/> over the test script's OpenSSH server, opened through <see cref="IImportSources"/> as an
/// import job opens it: listing (files only), streaming a file's exact bytes, moving into directories made on the
/// way, deleting, and decrypting a PGP file of a <c>client_pgp</c> authorization.
/// </summary>
public sealed class SftpImportSourceTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    private async Task<IImportSource> OpenAsync(JsonObject body)
    {
        var (id, _, _) = await SftpAuthorizationTests.CreateAsync(S, await S.TokenAsync("data_manager"), body);
        var opening = await S.Services.GetRequiredService<IImportSources>().OpenAsync(S.Account.Id, id, CancellationToken.None);
        Assert.True(opening.Source is not null, opening.Error);
        return opening.Source;
    }

    [Fact]
    public async Task A_source_lists_files_only_streams_their_exact_bytes_moves_them_into_new_directories_and_deletes_them()
    {
        var sftp = SftpTestServer.Require();
        var root = $"t-{Guid.NewGuid():N}";
        var big = PgpDecryptionTests.Csv(60_000);
        var small = "external_id,city\nz1,\"São Paulo, SP\"\nz2,Zoë\n"u8.ToArray();
        using (var client = sftp.Client())
        {
            client.CreateDirectory(root);
            client.CreateDirectory($"{root}/in");
            client.CreateDirectory($"{root}/in/nested");
            client.UploadFile(new MemoryStream(big), $"{root}/in/big.csv");
            client.UploadFile(new MemoryStream(small), $"{root}/in/small.csv");
            client.UploadFile(new MemoryStream(small), $"{root}/in/nested/not-listed.csv");
        }

        await using var source = await OpenAsync(SftpAuthorizationTests.Client(sftp, privateKey: sftp.PrivateKey));
        Assert.Null(source.Decryption);
        var files = new List<ImportFile>();
        await foreach (var f in source.ListAsync($"{root}/in", CancellationToken.None)) files.Add(f);
        Assert.Equal(["big.csv", "small.csv"], files.Select(f => f.Name).Order(StringComparer.Ordinal));
        var bigFile = files.Single(f => f.Name == "big.csv");
        Assert.Equal(big.Length, bigFile.Size);
        Assert.Equal($"{root}/in/big.csv", bigFile.Path);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - bigFile.Modified).TotalMinutes) < 10, $"modified {bigFile.Modified:O}");

        await using (var stream = await source.OpenReadAsync(bigFile, CancellationToken.None))
        {
            Assert.Equal(big, PgpDecryptionTests.ReadAll(stream));
        }

        var smallFile = files.Single(f => f.Name == "small.csv");
        await source.MoveAsync(smallFile, $"{root}/done/2026/11", CancellationToken.None);
        await source.DeleteAsync(bigFile, CancellationToken.None);

        var left = new List<string>();
        await foreach (var f in source.ListAsync($"{root}/in", CancellationToken.None)) left.Add(f.Name);
        Assert.Empty(left);
        var moved = new List<ImportFile>();
        await foreach (var f in source.ListAsync($"{root}/done/2026/11", CancellationToken.None)) moved.Add(f);
        Assert.Equal("small.csv", Assert.Single(moved).Name);
        await using (var stream = await source.OpenReadAsync(moved[0], CancellationToken.None))
        {
            Assert.Equal(small, PgpDecryptionTests.ReadAll(stream));
        }

        // A file of the same name moved again (a re-upload) replaces the one already there.
        using (var client = sftp.Client()) client.UploadFile(new MemoryStream("external_id\nz9\n"u8.ToArray()), $"{root}/in/small.csv");
        var again = new List<ImportFile>();
        await foreach (var f in source.ListAsync($"{root}/in", CancellationToken.None)) again.Add(f);
        await source.MoveAsync(again.Single(), $"{root}/done/2026/11", CancellationToken.None);
        await using (var stream = await source.OpenReadAsync(moved[0], CancellationToken.None))
        {
            Assert.Equal("external_id\nz9\n", Encoding.UTF8.GetString(PgpDecryptionTests.ReadAll(stream)));
        }
    }

    [Fact]
    public async Task A_missing_directory_a_missing_file_and_a_path_out_of_the_login_directory_fail_as_any_source_fails()
    {
        var sftp = SftpTestServer.Require();
        await using var source = await OpenAsync(SftpAuthorizationTests.Client(sftp, password: sftp.Password));
        var missing = $"t-{Guid.NewGuid():N}";
        var notFound = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => ListAsync(source, missing));
        Assert.Contains(missing, notFound.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<FileNotFoundException>(() =>
            source.OpenReadAsync(new ImportFile($"{missing}/x.csv", "x.csv", 1, DateTimeOffset.UtcNow), CancellationToken.None));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => ListAsync(source, "in/../.."));
    }

    [Fact]
    public async Task A_client_pgp_source_reads_an_encrypted_and_signed_file_over_sftp_and_decrypts_it_as_a_stream()
    {
        var sftp = SftpTestServer.Require();
        var recipient = TestPgp.Generate("Sluice <pgp@sluice.test>", "import passphrase");
        var signer = TestPgp.Generate("Customer <c@customer.test>", "signer passphrase");
        var plain = PgpDecryptionTests.Csv(30_000);
        var root = $"t-{Guid.NewGuid():N}";
        using (var client = sftp.Client())
        {
            client.CreateDirectory(root);
            client.UploadFile(new MemoryStream(recipient.Encrypt(plain, signer: signer, armor: true)), $"{root}/export.csv.asc");
        }

        var body = SftpAuthorizationTests.Client(sftp, password: sftp.Password, type: "client_pgp");
        body["config"]!["pgp_private_key"] = recipient.ArmoredPrivateKey();
        body["config"]!["pgp_passphrase"] = recipient.Passphrase;
        body["config"]!["pgp_signer_public_key"] = signer.ArmoredPublicKey();
        await using var source = await OpenAsync(body);
        Assert.NotNull(source.Decryption);

        var file = Assert.Single(await ListAsync(source, root));
        var encrypted = await source.OpenReadAsync(file, CancellationToken.None);
        Assert.Equal(plain, PgpDecryptionTests.ReadAll(source.Decryption.Decrypt(encrypted)));
    }

    private static async Task<List<ImportFile>> ListAsync(IImportSource source, string directory)
    {
        var files = new List<ImportFile>();
        await foreach (var f in source.ListAsync(directory, CancellationToken.None)) files.Add(f);
        return files;
    }
}
