using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Sluice.Api;
using Sluice.Audiences;
using Sluice.Audiences.Api;
using Sluice.Query.FilterQl;

namespace Sluice.Cli;

/// <summary>
/// <c>sluice segment test|list</c>: try a FilterQL statement on a JSON entity, and list a data folder's audiences
/// with their sizes, without a server.
/// </summary>
internal static class SegmentCommands
{
    public static Command Create()
    {
        var segment = new Command("segment", "Test FilterQL statements and list audiences");
        segment.Subcommands.Add(TestCommand());
        segment.Subcommands.Add(ListCommand());
        return segment;
    }

    private static Option<long?> AccountOption() => new("--account") { Description = "Account number (default: the first account)" };

    private static Command TestCommand()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var account = AccountOption();
        var statement = new Argument<string>("statement") { Description = "A FilterQL statement, e.g. 'FILTER city = \"Oslo\"'" };
        var entity = new Option<string>("--entity") { Description = "The profile as a JSON object", Required = true };
        var now = new Option<string?>("--now") { Description = "The instant date math is anchored to (ISO-8601; default: now)" };
        var cmd = new Command("test", "Evaluate a statement against a JSON entity; INCLUDEs resolve against the data folder's audiences")
        {
            statement, data, json, account, entity, now,
        };
        cmd.SetAction(async (r, ct) =>
        {
            var entityText = r.GetValue(entity)!;
            if (!JsonStrings.TryParse(entityText, out var doc, out var problem)) return CliErrors.Fail($"--entity: {problem}");
            using var _ = doc;
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return CliErrors.Fail("--entity must be a JSON object");

            var at = DateTimeOffset.UtcNow;
            if (r.GetValue(now) is { } nowText)
            {
                if (SegmentQueryApi.ParseInstant(JsonSerializer.SerializeToElement(nowText)) is not { } given)
                {
                    return CliErrors.Fail($"--now \"{nowText}\" is not an ISO-8601 date and time, such as 2026-03-01T12:00:00Z");
                }
                at = given;
            }

            CompiledFilter filter;
            try
            {
                filter = AudienceDefinitionCheck.CompileUnsaved(r.GetValue(statement)!, await SavedAudiencesAsync(r.GetValue(data)!, r.GetValue(account), ct));
            }
            catch (FilterQlException e)
            {
                return CliErrors.Fail($"invalid FilterQL: {e.Message}");
            }
            var matches = filter.Matches(FilterEntity.FromJson(doc.RootElement), at);
            Console.Out.WriteLine(r.GetValue(json)
                ? new JsonObject { ["matches"] = matches, ["now"] = ApiJson.Time(at) }.ToJsonString(ApiJson.Options)
                : matches ? "true" : "false");
            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// What INCLUDE may name: the account's saved audiences when the data folder has a store, and the default
    /// audiences in any case. A folder without a store is left as it is.
    /// </summary>
    private static async Task<IReadOnlyList<Audience>> SavedAudiencesAsync(string dataDir, long? number, CancellationToken ct)
    {
        var defaults = DefaultAudiences.All
            .Select(d => new Audience("", "", d.Slug, d.Name, d.Description, d.SegmentQl, true, default, default))
            .ToList();
        if (!File.Exists(Path.Combine(dataDir, "sluice.db"))) return defaults;
        await using var ctx = await AdminContext.OpenAsync(dataDir, ct);
        var accounts = await ctx.Accounts.ListAsync(ct);
        var acct = number is { } n ? accounts.FirstOrDefault(a => a.Number == n) : accounts.FirstOrDefault();
        if (acct is null) return defaults;
        var saved = await ctx.Services.GetRequiredService<IAudienceStore>().ListAsync(acct.Id, ct);
        return [.. saved, .. defaults.Where(d => !saved.Any(s => s.Slug == d.Slug))];
    }

    private static Command ListCommand()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var account = AccountOption();
        var cmd = new Command("list", "List the account's audiences with their sizes") { data, json, account };
        cmd.SetAction(async (r, ct) =>
        {
            await using var ctx = await AdminContext.OpenAsync(r.GetValue(data)!, ct);
            var (acct, _) = await ctx.ResolveAccountAsync(r.GetValue(account), ct);
            if (acct is null) return CliErrors.Fail($"account {r.GetValue(account)} not found");
            // Loading the account's audiences creates its defaults, as the server's first use of the account does.
            await ctx.Services.GetRequiredService<AudienceRegistry>().ForAccountAsync(acct.Id, ct);
            var store = ctx.Services.GetRequiredService<IAudienceStore>();
            var rows = new List<(Audience Audience, long Size)>();
            foreach (var a in await store.ListAsync(acct.Id, ct)) rows.Add((a, await store.SizeAsync(acct.Id, a.Id, ct)));
            if (r.GetValue(json))
            {
                Console.Out.WriteLine(new JsonArray([.. rows.Select(x => (JsonNode)SegmentView.Render(x.Audience, acct, x.Size))]).ToJsonString(ApiJson.Options));
                return 0;
            }
            var table = new Table();
            foreach (var column in new[] { "slug", "name", "size", "default", "definition" }) table.AddColumn(column);
            foreach (var (a, size) in rows)
            {
                table.AddRow(Markup.Escape(a.Slug), Markup.Escape(a.Name), size.ToString(System.Globalization.CultureInfo.InvariantCulture), a.IsDefault ? "yes" : "", Markup.Escape(a.SegmentQl));
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }
}
