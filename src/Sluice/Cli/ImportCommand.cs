using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Spectre.Console;
using Sluice.Collect;
using Sluice.EventLog;
using Sluice.Import;
using Sluice.Processing;

namespace Sluice.Cli;

/// <summary>
/// <c>sluice import csv FILE [--stream S] [--delimiter ,]</c>: imports a local CSV file (plain, <c>.gz</c> or
/// <c>.zip</c>) into a data folder's event log through the same pipeline and checks as an import job. Works beside a
/// running server (its processing picks the rows up at once) or on a stopped one (at its next start).
/// </summary>
internal static class ImportCommand
{
    private const int ShownErrors = 20;

    public static Command Create()
    {
        var import = new Command("import", "Import files into the event log");
        import.Subcommands.Add(CsvCommand());
        return import;
    }

    private static Command CsvCommand()
    {
        var data = CommonOptions.Data();
        var file = new Argument<string>("file") { Description = "The CSV file (.csv, .csv.gz or .zip)" };
        var stream = new Option<string>("--stream") { Description = "Stream the rows go to", DefaultValueFactory = _ => CsvImportConfig.DefaultStream };
        var delimiter = new Option<string?>("--delimiter") { Description = "Field separator: one character, or t for tab (default: detected)" };
        var encoding = new Option<string?>("--encoding") { Description = "utf-8 (default, with or without a BOM) or latin-1" };
        var timestamp = new Option<string?>("--timestamp-field") { Description = "Column holding each row's event time" };
        var account = new Option<long?>("--account") { Description = "Account number (default: the first account)" };
        var cmd = new Command("csv", "Import a local CSV file, with a progress bar and a summary") { file, data, stream, delimiter, encoding, timestamp, account };
        cmd.SetAction(async (r, ct) =>
        {
            var path = r.GetValue(file)!;
            if (!File.Exists(path)) return CliErrors.Fail($"no file \"{path}\"");
            var settings = new JsonObject { ["directory"] = ".", ["stream"] = r.GetValue(stream) };
            if (r.GetValue(delimiter) is { } d) settings["delimiter"] = d;
            if (r.GetValue(encoding) is { } e) settings["encoding"] = e;
            if (r.GetValue(timestamp) is { } t) settings["timestamp_field"] = t;
            if (CsvImportConfig.Parse(settings, out var errors) is not { } config)
            {
                // The job's key names map onto the options of the same meaning.
                return CliErrors.Fail(string.Join("; ", errors.Select(x => "--" + x.Replace('_', '-'))));
            }
            return await RunAsync(Path.GetFullPath(path), config, r.GetValue(data)!, r.GetValue(account), ct);
        });
        return cmd;
    }

    private static async Task<int> RunAsync(string path, CsvImportConfig config, string dataDir, long? accountNumber, CancellationToken ct)
    {
        await using var ctx = await AdminContext.OpenAsync(dataDir, ct, services =>
        {
            services.AddSingleton<EventLogWriter>();
            services.TryAddSingleton<Partitioner>();
            services.AddOptions<CollectOptions>().BindConfiguration("Sluice:Collect");
            services.AddSingleton<EventValidator>();
            services.AddSingleton<CsvFileImporter>();
        });
        var (account, _) = await ctx.ResolveAccountAsync(accountNumber, ct);
        if (account is null) return CliErrors.Fail($"no account {accountNumber}");

        var writer = ctx.Services.GetRequiredService<EventLogWriter>();
        await writer.StartAsync(ct);
        var info = new FileInfo(path);
        var file = new ImportFile(info.Name, info.Name, info.Length, info.LastWriteTimeUtc);
        var progress = new ImportProgress();
        var errors = new List<ImportRowError>();
        var clock = Stopwatch.StartNew();
        ImportFileState? done = null;
        try
        {
            await using var source = new LocalFolderSource(info.DirectoryName!);
            var importer = ctx.Services.GetRequiredService<CsvFileImporter>();
            var work = importer.ImportAsync(new ImportTarget(account.Id, null, config), source, file, null, progress, e =>
            {
                if (errors.Count < ShownErrors) errors.Add(e);
                return Task.CompletedTask;
            }, ct);
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async bars =>
                {
                    var bar = bars.AddTask(Markup.Escape(info.Name), maxValue: Math.Max(1, info.Length));
                    while (!work.IsCompleted)
                    {
                        await Task.WhenAny(work, Task.Delay(100, ct));
                        if (progress.Current is { } c) bar.Value = c.Read;
                    }
                    bar.Value = bar.MaxValue;
                    bar.StopTask();
                });
            done = await work;
        }
        catch (IOException e)
        {
            return CliErrors.Fail($"{info.Name} could not be read: {e.Message}");
        }
        finally
        {
            // Drains: every row handed to the log is committed before the command ends.
            await writer.StopAsync(CancellationToken.None);
        }

        foreach (var e in errors) Console.Error.WriteLine($"refused: {e.File} line {e.Line}: {e.Reason}");
        if (done.Rejected > errors.Count) Console.Error.WriteLine($"... and {done.Rejected - errors.Count} more refused row(s)");
        var summary = $"{info.Name}: {done.Stored} rows stored, {done.Rejected} refused, in {clock.Elapsed.TotalSeconds:0.0} s (stream {config.Stream})";
        if (done.Status == ImportFileState.Failed)
        {
            Console.Out.WriteLine(summary);
            return CliErrors.Fail($"{info.Name} could not be read to its end: {errors.LastOrDefault()?.Reason ?? "see the refused rows above"}");
        }
        Console.Out.WriteLine(summary);
        return done.Stored == 0 && done.Rejected > 0 ? CliErrors.Fail($"no row of {info.Name} could be imported (see the refused rows above)") : 0;
    }
}
