using System.Globalization;
using Sluice.Benchmarks;

// dotnet run -c Release --project bench/Sluice.Benchmarks -- collect [clients] [seconds]
var what = args.FirstOrDefault() ?? "collect";
var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
switch (what)
{
    case "collect":
        await CollectBenchmark.RunAsync(clients, TimeSpan.FromSeconds(seconds));
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark \"{what}\"; try: collect");
        return 2;
}
