using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Sluice.Api;
using Sluice.Jobs;
using Sluice.Jobs.Api;

namespace Sluice.Cli;

/// <summary>
/// <c>sluice job list|watch</c>: list a data folder's jobs without a server, and follow a running job's backfill on a
/// server with a progress bar.
/// </summary>
internal static class JobCommands
{
    public static Command Create()
    {
        var job = new Command("job", "List jobs and follow their progress");
        job.Subcommands.Add(ListCommand());
        job.Subcommands.Add(JobWatch.Command());
        return job;
    }

    private static Command ListCommand()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var account = new Option<long?>("--account") { Description = "Account number (default: the first account)" };
        var cmd = new Command("list", "List the account's jobs with their status") { data, json, account };
        cmd.SetAction(async (r, ct) =>
        {
            await using var ctx = await AdminContext.OpenAsync(r.GetValue(data)!, ct);
            var (acct, _) = await ctx.ResolveAccountAsync(r.GetValue(account), ct);
            if (acct is null) return CliErrors.Fail($"account {r.GetValue(account)} not found");
            var jobs = await ctx.Services.GetRequiredService<IJobStore>().ListAsync(acct.Id, ct);
            if (r.GetValue(json))
            {
                // Offline there is no worker to ask: metrics and progress are null, as for a job whose worker is away.
                Console.Out.WriteLine(new JsonArray([.. jobs.Select(j => (JsonNode)JobView.Render(j, acct, null))]).ToJsonString(ApiJson.Options));
                return 0;
            }
            if (jobs.Count == 0)
            {
                Console.Out.WriteLine("No jobs.");
                return 0;
            }
            var table = new Table();
            foreach (var column in new[] { "id", "workflow", "label", "status", "created", "message" }) table.AddColumn(column);
            foreach (var j in jobs)
            {
                table.AddRow(
                    j.Id, Markup.Escape(j.Workflow), Markup.Escape(j.Label), j.Status.Name(),
                    j.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture), Markup.Escape(j.StatusMessage ?? ""));
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }
}
