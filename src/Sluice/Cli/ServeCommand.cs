using System.CommandLine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Sluice.Accounts;
using Sluice.Auth;
using Sluice.Hosting;

namespace Sluice.Cli;

/// <summary><c>sluice serve</c>: the server, the console and the engine on the embedded store.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var urls = new Option<string>("--urls") { Description = "Address(es) to listen on", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var logFormat = new Option<string>("--log-format") { Description = "text or json", DefaultValueFactory = _ => "text" };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var cmd = new Command("serve", "Run Sluice: collect, APIs, console and processing on one port") { data, urls, logFormat };
        cmd.SetAction(async (r, ct) =>
        {
            var options = new SluiceAppOptions
            {
                DataDir = r.GetValue(data)!,
                Urls = r.GetValue(urls)!,
                JsonLogs = r.GetValue(logFormat) == "json",
            };
            await using var app = await SluiceApp.BuildAsync(options, ct);
            var (account, admin) = await AccountBootstrap.EnsureAccountAsync(
                app.Services.GetRequiredService<IAccountStore>(), app.Services.GetRequiredService<TokenService>(), ct);
            // The admin token is never logged. On a terminal it is printed for the person starting the server;
            // anywhere else standard output is a log (systemd, Docker, Kubernetes), so it goes to a file only the
            // owner can read, and the log says where.
            var printToken = admin is not null && !Console.IsOutputRedirected;
            if (admin is not null && !printToken)
            {
                var path = AdminTokenFile.Write(options.DataDir, account, admin, app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
                app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminTokenFile)).LogWarning(
                    "First start: the admin token of account {AccountNumber} is in {AdminTokenPath}, readable by its owner only; store it safely and delete the file",
                    account.Number, path);
            }
            await app.StartAsync(ct);

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            // The "listening" line comes last, so that a script waiting for it has everything above it too.
            Console.Out.WriteLine($"Account number: {account.Number}");
            if (printToken)
            {
                Console.Out.WriteLine($"Admin token (shown once, store it safely): {admin!.Secret}");
                Console.Out.WriteLine("Create more with: sluice token create --name NAME --role data_manager --expires 90d");
            }
            // The console is the first thing to open: its address, and what to sign in with.
            var console = addresses.FirstOrDefault()?.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://[::]", "://localhost", StringComparison.Ordinal).TrimEnd('/');
            if (console is not null)
            {
                Console.Out.WriteLine(printToken
                    ? $"Console: {console}/ (account {account.Number}; sign in with the admin token above)"
                    : $"Console: {console}/ (account {account.Number}; sign in with an access token of the account)");
            }
            Console.Out.WriteLine($"Sluice is listening on {string.Join(", ", addresses)} (data in {Path.GetFullPath(options.DataDir)})");
            await app.WaitForShutdownAsync(CancellationToken.None);
            return 0;
        });
        return cmd;
    }
}
