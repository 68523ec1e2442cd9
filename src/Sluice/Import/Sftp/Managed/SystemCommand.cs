using System.Diagnostics;

namespace Sluice.Import.Sftp.Managed;

/// <summary>
/// Runs a system tool (useradd, chpasswd, ssh-keygen) with arguments as a list, never through a shell. A secret
/// goes through standard input only, so that it is never visible in the process list nor in an error message.
/// </summary>
internal static class SystemCommand
{
    public static async Task<(int Exit, string Error)> RunAsync(string file, IEnumerable<string> arguments, string? input, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        await output;
        return (process.ExitCode, (await error).Trim());
    }

    /// <summary>Runs the tool and throws, with the tool's own message, when it fails.</summary>
    public static async Task MustAsync(string file, IEnumerable<string> arguments, string? input, CancellationToken ct)
    {
        var list = arguments.ToList();
        var (exit, error) = await RunAsync(file, list, input, ct);
        if (exit != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} {list.FirstOrDefault()} failed ({exit}): {error}");
    }
}
