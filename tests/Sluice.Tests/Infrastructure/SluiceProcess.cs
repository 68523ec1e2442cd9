using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Sluice.Tests.Infrastructure;

/// <summary>The real <c>sluice</c> executable in a child process, as a user runs it.</summary>
public sealed partial class SluiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];

    private SluiceProcess(Process process) => _process = process;

    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "sluice.dll");

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Runs a command to completion; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        await using var p = Start(args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p._process.WaitForExitAsync(timeout.Token);
        // WaitForExitAsync also waits for the output streams to close, so both are complete here.
        return (p._process.ExitCode, p.Stdout, p.Stderr);
    }

    /// <summary>Starts <c>sluice serve</c> and completes once it prints the address it listens on.</summary>
    public static async Task<(SluiceProcess Process, Uri Address)> ServeAsync(string dataDir, params string[] args)
    {
        var p = Start(["serve", "--data", dataDir, "--urls", "http://127.0.0.1:0", .. args]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var address = await p._listening.Task.WaitAsync(timeout.Token);
            return (p, address);
        }
        catch (OperationCanceledException)
        {
            await p.DisposeAsync();
            throw new TimeoutException($"sluice serve did not start. stdout: {p.Stdout} stderr: {p.Stderr}");
        }
    }

    /// <summary>
    /// The first-start admin token of a server whose output is not a terminal (as here): the token line of the
    /// file it writes in its data folder.
    /// </summary>
    public static string AdminTokenFromFile(string dataDir) =>
        File.ReadAllLines(Path.Combine(dataDir, "admin-token.txt")).Single(l => l.StartsWith("slc_", StringComparison.Ordinal));

    private static SluiceProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ExecutablePath);
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var p = new SluiceProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (p._stdout)
            {
                p._stdout.AppendLine(e.Data);
                foreach (var (text, seen) in p._awaited)
                {
                    if (e.Data.Contains(text, StringComparison.Ordinal)) seen.TrySetResult();
                }
            }
            if (Listening().Match(e.Data) is { Success: true } m) p._listening.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (p._stderr) p._stderr.AppendLine(e.Data);
        };
        process.Exited += (_, _) => p._listening.TrySetException(new InvalidOperationException("sluice exited before listening"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return p;
    }

    /// <summary>Completes once a line of standard output holds <paramref name="text"/> (log lines may trail the others).</summary>
    public Task WaitForStdoutAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stdout)
        {
            if (_stdout.ToString().Contains(text, StringComparison.Ordinal)) return Task.CompletedTask;
            _awaited.Add((text, seen));
        }
        return seen.Task.WaitAsync(timeout);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what is not durable is lost.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a service manager stops a server; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Sluice is listening on (\S+)")]
    private static partial Regex Listening();
}
