using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Renci.SshNet;
using Renci.SshNet.Common;
using Sluice.Import;

namespace Sluice.Tests.Sftp;

/// <summary>
/// A managed drop box end to end, on the sshd that Sluice starts itself: created through the API with its credentials
/// shown once, uploaded to with SSH.NET as a customer would, read back through <see cref="IImportSources"/> as an
/// import job reads it, and closed when the authorization is deleted.
/// </summary>
public sealed class ManagedDropBoxTests
{
    [Fact]
    public async Task A_managed_drop_box_takes_an_upload_with_the_credentials_shown_once_serves_it_to_imports_and_refuses_logins_once_deleted()
    {
        SftpTestServer.Require();
        // sshd chroots only below folders that nobody but root can write: not /tmp.
        var folder = Path.Combine("/var/lib/sluice-test-sftp", Guid.NewGuid().ToString("N"));
        await using var s = await TestServer.StartAsync(b =>
        {
            b.Configuration["Sluice:Sftp:Managed:Enabled"] = "true";
            b.Configuration["Sluice:Sftp:Managed:Port"] = "0";
            b.Configuration["Sluice:Sftp:Managed:DataFolder"] = folder;
        });
        try
        {
            var token = await s.TokenAsync("data_manager");
            var body = new JsonObject { ["provider"] = "sftp", ["label"] = "Drop box", ["config"] = new JsonObject { ["type"] = "managed" } };
            var (id, created, _) = await SftpAuthorizationTests.CreateAsync(s, token, body);
            var credentials = created["credentials"]!.AsObject();
            var host = (string)credentials["host"]!;
            var port = (int)credentials["port"]!;
            var user = (string)credentials["username"]!;
            var password = (string)credentials["password"]!;
            var fingerprint = ((string)credentials["host_key_fingerprint"]!)["SHA256:".Length..];
            Assert.Equal(user, (string)created["config"]!["username"]!);
            Assert.Null(created["config"]!["password"]);

            var shownLater = await s.Http.GetStringAsync($"/api/auth/{id}?key={token}");
            Assert.DoesNotContain(password, shownLater, StringComparison.Ordinal);
            Assert.DoesNotContain("credentials", shownLater, StringComparison.Ordinal);

            var csv = PgpDecryptionTests.Csv(5_000);
            using (var customer = Client(host, port, user, password, fingerprint))
            {
                customer.Connect();
                customer.UploadFile(new MemoryStream(csv), "export.csv");
            }

            var opening = await s.Services.GetRequiredService<IImportSources>().OpenAsync(s.Account.Id, id, CancellationToken.None);
            Assert.True(opening.Source is not null, opening.Error);
            await using (var source = opening.Source)
            {
                var files = new List<ImportFile>();
                await foreach (var f in source.ListAsync("", CancellationToken.None)) files.Add(f);
                var file = Assert.Single(files);
                Assert.Equal("export.csv", file.Name);
                Assert.Equal(csv, PgpDecryptionTests.ReadAll(await source.OpenReadAsync(file, CancellationToken.None)));
            }

            var test = JsonNode.Parse(await (await s.Http.PostAsync($"/api/auth/{id}/test?key={token}", null)).Content.ReadAsStringAsync())!["data"]!;
            Assert.True((bool)test["ok"]!, test.ToJsonString());

            Assert.Equal(HttpStatusCode.OK, (await s.Http.DeleteAsync($"/api/auth/{id}?key={token}")).StatusCode);
            using (var customer = Client(host, port, user, password, fingerprint))
            {
                Assert.Throws<SshAuthenticationException>(customer.Connect);
            }
            Assert.False(SystemUserExists(user), $"the system user {user} outlived its drop box");
            Assert.DoesNotContain(s.Logs.Lines, l => l.Contains(password, StringComparison.Ordinal));
        }
        finally
        {
            await s.StopAsync();
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_drop_box_server_stops_with_the_node_and_serves_the_same_logins_when_it_starts_again()
    {
        SftpTestServer.Require();
        var folder = Path.Combine("/var/lib/sluice-test-sftp", Guid.NewGuid().ToString("N"));
        var port = Sluice.Hosting.FreePort.Next();
        void Managed(Microsoft.AspNetCore.Builder.WebApplicationBuilder b)
        {
            b.Configuration["Sluice:Sftp:Managed:Enabled"] = "true";
            b.Configuration["Sluice:Sftp:Managed:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            b.Configuration["Sluice:Sftp:Managed:DataFolder"] = folder;
        }
        var first = await TestServer.StartAsync(Managed);
        var dataDir = first.DataDir;
        TestServer? second = null;
        try
        {
            var body = new JsonObject { ["provider"] = "sftp", ["label"] = "Drop box", ["config"] = new JsonObject { ["type"] = "managed" } };
            var (id, created, _) = await SftpAuthorizationTests.CreateAsync(first, await first.TokenAsync("data_manager"), body);
            var credentials = created["credentials"]!.AsObject();
            var (user, password) = ((string)credentials["username"]!, (string)credentials["password"]!);
            var fingerprint = ((string)credentials["host_key_fingerprint"]!)["SHA256:".Length..];
            await first.StopAsync();
            using (var customer = Client("127.0.0.1", port, user, password, fingerprint))
            {
                Assert.ThrowsAny<System.Net.Sockets.SocketException>(customer.Connect);
            }

            second = await TestServer.StartAsync(Managed, dataDir);
            using (var customer = Client("127.0.0.1", port, user, password, fingerprint))
            {
                customer.Connect();
                customer.UploadFile(new MemoryStream("external_id\nafter-restart\n"u8.ToArray()), "after-restart.csv");
            }
            var token = await second.TokenAsync("data_manager");
            Assert.Equal(HttpStatusCode.OK, (await second.Http.DeleteAsync($"/api/auth/{id}?key={token}")).StatusCode);
            Assert.False(SystemUserExists(user));
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
            else await first.DisposeAsync();
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_drop_box_sshd_killed_with_SIGKILL_is_restarted_shown_in_readyz_and_takes_uploads_again()
    {
        SftpTestServer.Require();
        var folder = Path.Combine("/var/lib/sluice-test-sftp", Guid.NewGuid().ToString("N"));
        await using var s = await TestServer.StartAsync(b =>
        {
            b.Configuration["Sluice:Sftp:Managed:Enabled"] = "true";
            b.Configuration["Sluice:Sftp:Managed:Port"] = "0";
            b.Configuration["Sluice:Sftp:Managed:DataFolder"] = folder;
        });
        try
        {
            var body = new JsonObject { ["provider"] = "sftp", ["label"] = "Drop box", ["config"] = new JsonObject { ["type"] = "managed" } };
            var (_, created, _) = await SftpAuthorizationTests.CreateAsync(s, await s.TokenAsync("data_manager"), body);
            var credentials = created["credentials"]!.AsObject();
            var (host, port) = ((string)credentials["host"]!, (int)credentials["port"]!);
            var (user, password) = ((string)credentials["username"]!, (string)credentials["password"]!);
            var fingerprint = ((string)credentials["host_key_fingerprint"]!)["SHA256:".Length..];
            Assert.Equal("Healthy", (string)(await ManagedSftpCheckAsync(s))["status"]!);

            var pidFile = Path.Combine(folder, "sshd.pid");
            var killed = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            using (var sshd = Process.GetProcessById(killed))
            {
                sshd.Kill();
                await sshd.WaitForExitAsync();
            }

            // Uploads work again once Sluice has noticed and started a new sshd (with the same logins and host key).
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                try
                {
                    using var customer = Client(host, port, user, password, fingerprint);
                    customer.Connect();
                    customer.UploadFile(new MemoryStream("external_id\nafter-crash\n"u8.ToArray()), "after-crash.csv");
                    break;
                }
                catch (Exception e) when (e is System.Net.Sockets.SocketException or SshException)
                {
                    await Task.Delay(100, deadline.Token);
                }
            }

            var check = await ManagedSftpCheckAsync(s);
            Assert.Equal("Healthy", (string)check["status"]!);
            Assert.Equal(1, (int)check["data"]!["restarts"]!);
            Assert.Contains("code 137", (string)check["data"]!["last_exit"]!, StringComparison.Ordinal);
            Assert.NotEqual(killed, int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains(s.Logs.Lines, l => l.Contains("Managed SFTP server (sshd) exited unexpectedly", StringComparison.Ordinal));
            Assert.Contains(s.Logs.Lines, l => l.Contains("Managed SFTP server restarted", StringComparison.Ordinal));
        }
        finally
        {
            await s.StopAsync();
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<JsonNode> ManagedSftpCheckAsync(TestServer s)
    {
        // readyz answers 503 when another check is unhealthy; the drop-box entry is read either way.
        var text = await (await s.Http.GetAsync("/readyz")).Content.ReadAsStringAsync();
        return JsonNode.Parse(text)!["checks"]!["managed_sftp"]!;
    }

    private static SftpClient Client(string host, int port, string user, string password, string fingerprint)
    {
        var client = new SftpClient(host, port, user, password);
        client.HostKeyReceived += (_, e) => e.CanTrust = e.FingerPrintSHA256 == fingerprint;
        return client;
    }

    private static bool SystemUserExists(string user)
    {
        using var id = Process.Start(new ProcessStartInfo("id", ["-u", user]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        id.WaitForExit();
        return id.ExitCode == 0;
    }
}
