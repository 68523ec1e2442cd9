using System.Globalization;
using Sluice.Benchmarks;

// dotnet run -c Release --project bench/Sluice.Benchmarks -- collect [clients] [seconds]
// dotnet run -c Release --project bench/Sluice.Benchmarks -- processing [events] [people] [steady events/s] [steady seconds] [batch size]
// dotnet run -c Release --project bench/Sluice.Benchmarks -- processing-audiences [events] [people] [steady events/s] [steady seconds] [batch size]
// dotnet run -c Release --project bench/Sluice.Benchmarks -- audiences [evaluations] [distinct profiles] [rounds]
// dotnet run -c Release --project bench/Sluice.Benchmarks -- import [users] [audiences, 0-20] [0: import and processing alone, 1: and end to end, 2: end to end only]
// dotnet run -c Release --project bench/Sluice.Benchmarks -- import-sftp [users]   (SLUICE_TEST_SFTP, or as root it starts its own sshd)
// dotnet run -c Release --project bench/Sluice.Benchmarks -- export [members] [budget case seconds] [real-time changes/s] [real-time seconds]
// dotnet run -c Release --project bench/Sluice.Benchmarks -- sftp FILE [rounds]   (needs SLUICE_TEST_SFTP, see scripts/test.sh)
// dotnet run -c Release --project bench/Sluice.Benchmarks -- log-append [commits per round] [events per commit] [rounds]
// dotnet run -c Release --project bench/Sluice.Benchmarks -- bare [urls]   (the baseline endpoint of bench/collect-wrk.sh)
var what = args.FirstOrDefault() ?? "collect";
int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
switch (what)
{
    case "collect":
        await CollectBenchmark.RunAsync(Arg(1, 64), TimeSpan.FromSeconds(Arg(2, 10)));
        return 0;
    case "processing":
        await ProcessingBenchmark.RunAsync(Arg(1, 1_000_000), Arg(2, 300_000), Arg(3, 10_000), Arg(4, 20), Arg(5, new Sluice.Processing.ProcessingOptions().BatchSize));
        return 0;
    case "processing-audiences":
        await ProcessingBenchmark.RunWithAndWithoutAudiencesAsync(Arg(1, 1_000_000), Arg(2, 300_000), Arg(3, 5_000), Arg(4, 20), Arg(5, new Sluice.Processing.ProcessingOptions().BatchSize));
        return 0;
    case "audiences":
        AudienceBenchmark.Run(Arg(1, 1_000_000), Arg(2, 200_000), Arg(3, 3));
        return 0;
    case "import":
        await ImportBenchmark.RunAsync(Arg(1, 500_000), Arg(2, ProcessingAudiences.All.Count), (ImportBenchmarkParts)Arg(3, 1));
        return 0;
    case "import-sftp":
        return await ImportSftpBenchmark.RunAsync(Arg(1, 500_000));
    case "export":
        await ExportBenchmark.RunAsync(Arg(1, 1_000_000), Arg(2, 60), Arg(3, 2_000), Arg(4, 20));
        return 0;
    case "sftp":
        return await SftpBenchmark.RunAsync(args.Length > 1 ? args[1] : "export.csv", Arg(2, 3));
    case "log-append":
        await LogAppendBenchmark.RunAsync(Arg(1, 1_000), Arg(2, 10), Arg(3, 5));
        return 0;
    case "bare":
        await BareEndpoint.RunAsync(args.Length > 1 ? args[1] : "http://127.0.0.1:5090");
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark \"{what}\"; try: collect, log-append, processing, processing-audiences, audiences, export, import, import-sftp, sftp, bare");
        return 2;
}
