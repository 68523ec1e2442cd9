using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Sluice.Accounts;
using Sluice.Auth;
using Sluice.BrazeSimulator;
using Sluice.Demo;
using Sluice.Hosting;

namespace Sluice.Cli;

/// <summary>
/// <c>sluice demo</c>: the whole integration guide in one command. Sluice and a Braze simulator start side by side,
/// Braze users are sent to Sluice by a webhook campaign, and an Export Audience job writes their audiences back to
/// Braze; it prints what Braze holds, then keeps both running for a look around until Ctrl+C.
/// </summary>
internal static class DemoCommand
{
    private const string BrazeKey = "demo-braze-key";

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Data folder (default: a new temporary folder)" };
        var urls = new Option<string>("--urls") { Description = "Sluice's address", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var users = new Option<int>("--users") { Description = "Braze users to create", DefaultValueFactory = _ => 20 };
        var exit = new Option<bool>("--exit") { Description = "Stop once the flow has run, instead of waiting for Ctrl+C" };
        var cmd = new Command("demo", "Run Sluice and a Braze simulator and play the integration guide's flow end to end") { data, urls, users, exit };
        cmd.SetAction(async (r, ct) =>
        {
            var count = r.GetValue(users);
            if (count is < 1 or > 10_000) return CliErrors.Fail("--users must be between 1 and 10000");
            var dataDir = r.GetValue(data) ?? Directory.CreateTempSubdirectory("sluice-demo-").FullName;
            var simOptions = new BrazeSimulatorOptions { Urls = "http://127.0.0.1:0", RateLimit = 0 };
            simOptions.Keys.Add(SimulatorApiKey.WithPermissions(BrazeKey, SimulatorApiKey.UsersTrack));
            await using var sim = await BrazeSimulatorServer.StartAsync(simOptions, ct);
            await using var app = await SluiceApp.BuildAsync(new SluiceAppOptions
            {
                DataDir = dataDir,
                Urls = r.GetValue(urls)!,
                Configure = b => b.Logging.SetMinimumLevel(LogLevel.Warning),
            }, ct);
            var services = app.Services;
            var (account, admin) = await AccountBootstrap.EnsureAccountAsync(services.GetRequiredService<IAccountStore>(), services.GetRequiredService<TokenService>(), ct);
            // A data folder used before has its admin token already; the demo makes its own.
            var token = admin?.Secret ?? (await services.GetRequiredService<TokenService>().CreateAsync(account.Id, "demo", null, [Role.Admin], TimeSpan.FromDays(7), ct)).Secret;
            await app.StartAsync(ct);
            var address = new Uri(services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

            using var sluice = new HttpClient { BaseAddress = address };
            sluice.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var braze = new HttpClient { BaseAddress = sim.BaseAddress };
            Console.Out.WriteLine($"Sluice on {address} (account {account.Number}, data in {dataDir}); Braze simulator on {sim.BaseAddress}");
            var made = await new SeedDemo(sluice, braze, BrazeKey, account.Number, Console.Out).RunAsync(count, TimeSpan.FromSeconds(60), ct);

            Console.Out.WriteLine();
            Console.Out.WriteLine("What Braze holds now (lytics_segments):");
            foreach (var user in made.Take(10))
            {
                var a = user["attributes"];
                Console.Out.WriteLine($"  {(string?)user["external_id"],-10} {(string?)a?["home_city"],-8} {a?["lytics_segments"]?.ToJsonString() ?? "(none yet)"}");
            }
            if (made.Count > 10) Console.Out.WriteLine($"  ... and {made.Count - 10} more");
            Console.Out.WriteLine();
            Console.Out.WriteLine($"Look around: {address}api/segment?key={token}  {address}v2/job?key={token}  {sim.BaseAddress}sim/users?attribute=lytics_segments&contains=lytics_nordic");
            var complete = made.Count == count && made.All(u => u["attributes"]?["lytics_segments"] is JsonArray { Count: > 0 });
            if (!r.GetValue(exit))
            {
                Console.Out.WriteLine("Ctrl+C stops both.");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C: stop both servers.
                }
            }
            await app.StopAsync(CancellationToken.None);
            return complete ? 0 : 1;
        });
        return cmd;
    }
}
