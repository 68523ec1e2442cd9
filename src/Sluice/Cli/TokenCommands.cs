using Spectre.Console;
using System.CommandLine;
using System.Text.Json;
using Sluice.Api;
using Sluice.Auth;

namespace Sluice.Cli;

/// <summary><c>sluice token create|list|revoke</c>: access tokens, straight on the data folder.</summary>
internal static class TokenCommands
{
    public static Command Create()
    {
        var token = new Command("token", "Create, list and revoke access tokens");
        token.Subcommands.Add(CreateCommand());
        token.Subcommands.Add(ListCommand());
        token.Subcommands.Add(RevokeCommand());
        return token;
    }

    private static Option<long?> AccountOption() => new("--account") { Description = "Account number (default: the first account)" };

    private static Command CreateCommand()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var account = AccountOption();
        var name = new Option<string>("--name") { Description = "Token name", Required = true };
        var description = new Option<string?>("--description") { Description = "What the token is for" };
        var roles = new Option<string[]>("--role") { Description = "Role(s): admin, data_manager, audience_manager, marketer, observer", Required = true, AllowMultipleArgumentsPerToken = true };
        var expires = new Option<string>("--expires") { Description = "7d, 30d, 90d or never", DefaultValueFactory = _ => "never" };
        var cmd = new Command("create", "Create an access token and print it (once)") { data, json, account, name, description, roles, expires };
        cmd.SetAction(async (r, ct) =>
        {
            if (!Roles.TryParseAll(r.GetValue(roles)?.SelectMany(x => x.Split(',')), out var roleError, out var parsedRoles)) return CliErrors.Fail(roleError);
            if (!TokenExpiry.TryParse(r.GetValue(expires), out var expiryError, out var lifetime)) return CliErrors.Fail(expiryError);
            await using var ctx = await AdminContext.OpenAsync(r.GetValue(data)!, ct);
            var (acct, created) = await ctx.ResolveAccountAsync(r.GetValue(account), ct);
            if (acct is null) return CliErrors.Fail($"account {r.GetValue(account)} not found");
            var token = await ctx.Tokens.CreateAsync(acct.Id, r.GetValue(name)!.Trim(), r.GetValue(description), parsedRoles, lifetime, ct);
            var view = TokenView.From(token.Token, acct.Number) with { Token = token.Secret };
            if (r.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(view, ApiJson.Options));
                return 0;
            }
            if (created) Console.Out.WriteLine($"Created account {acct.Number}.");
            Console.Out.WriteLine($"Token \"{view.Name}\" ({string.Join(", ", view.Roles)}) for account {acct.Number}, expires {view.Expires?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "never"}:");
            Console.Out.WriteLine(token.Secret);
            Console.Out.WriteLine("It is shown only now; store it safely.");
            return 0;
        });
        return cmd;
    }

    private static Command ListCommand()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var account = AccountOption();
        var cmd = new Command("list", "List access tokens (never their secrets)") { data, json, account };
        cmd.SetAction(async (r, ct) =>
        {
            await using var ctx = await AdminContext.OpenAsync(r.GetValue(data)!, ct);
            var (acct, _) = await ctx.ResolveAccountAsync(r.GetValue(account), ct);
            if (acct is null) return CliErrors.Fail($"account {r.GetValue(account)} not found");
            var views = (await ctx.Tokens.ListAsync(acct.Id, ct)).Select(t => TokenView.From(t, acct.Number)).ToList();
            if (r.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(views, ApiJson.Options));
                return 0;
            }
            var table = new Table();
            foreach (var column in new[] { "id", "name", "roles", "expires", "revoked", "last used" }) table.AddColumn(column);
            foreach (var v in views)
            {
                table.AddRow(v.Id, Markup.Escape(v.Name), string.Join(",", v.Roles), Date(v.Expires), Date(v.Revoked), Date(v.LastUsed));
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command RevokeCommand()
    {
        var data = CommonOptions.Data();
        var account = AccountOption();
        var id = new Argument<string>("id") { Description = "Token id (from token list)" };
        var cmd = new Command("revoke", "Revoke an access token") { data, account, id };
        cmd.SetAction(async (r, ct) =>
        {
            await using var ctx = await AdminContext.OpenAsync(r.GetValue(data)!, ct);
            var (acct, _) = await ctx.ResolveAccountAsync(r.GetValue(account), ct);
            if (acct is null) return CliErrors.Fail($"account {r.GetValue(account)} not found");
            if (!await ctx.Tokens.RevokeAsync(acct.Id, r.GetValue(id)!, ct)) return CliErrors.Fail($"no live token with id \"{r.GetValue(id)}\"");
            Console.Out.WriteLine($"Revoked {r.GetValue(id)}. A running server refuses it from its next request.");
            return 0;
        });
        return cmd;
    }

    private static string Date(DateTimeOffset? t) => t?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}
