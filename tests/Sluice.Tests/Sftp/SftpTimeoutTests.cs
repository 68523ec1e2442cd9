using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Sluice.Import;

namespace Sluice.Tests.Sftp;

/// <summary>
/// A server that accepts the TCP connection and then says nothing (a firewall, a wedged daemon) fails the login
/// within <c>Sluice:Sftp:ConnectTimeoutSeconds</c>, with that reason, instead of holding a request or a job.
/// </summary>
public sealed class SftpTimeoutTests
{
    [Fact]
    public async Task A_server_that_never_speaks_ssh_fails_the_test_and_the_import_source_within_the_connect_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true) accepted.Add(await silent.AcceptTcpClientAsync(stop.Token));
            }
            catch (OperationCanceledException)
            {
                // The test is over.
            }
        });
        await using var s = await TestServer.StartAsync(b => b.Configuration["Sluice:Sftp:ConnectTimeoutSeconds"] = "1");
        try
        {
            var token = await s.TokenAsync("data_manager");
            var body = new JsonObject
            {
                ["provider"] = "sftp", ["label"] = "silent",
                ["config"] = new JsonObject
                {
                    ["type"] = "client", ["host"] = "127.0.0.1", ["port"] = ((IPEndPoint)silent.LocalEndpoint).Port, ["username"] = "u",
                    ["password"] = "p-0123456789", ["host_key_fingerprint"] = "SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE",
                },
            };
            var (id, _, _) = await SftpAuthorizationTests.CreateAsync(s, token, body);

            var test = JsonNode.Parse(await (await s.Http.PostAsync($"/api/auth/{id}/test?key={token}", null)).Content.ReadAsStringAsync())!["data"]!;
            Assert.False((bool)test["ok"]!);
            Assert.Contains("within 1 s", (string)test["message"]!, StringComparison.Ordinal);

            var opening = await s.Services.GetRequiredService<IImportSources>().OpenAsync(s.Account.Id, id, CancellationToken.None);
            Assert.Null(opening.Source);
            Assert.Contains("within 1 s", opening.Error, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            await accepting;
            foreach (var c in accepted) c.Dispose();
        }
    }
}
