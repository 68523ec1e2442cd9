using System.Diagnostics;
using System.Globalization;
using Sluice.Import.Sftp;

namespace Sluice.Benchmarks;

/// <summary>
/// The SFTP server a benchmark reads from: the one named by <c>SLUICE_TEST_SFTP</c> (as <c>scripts/test.sh</c> exports
/// it), or else a private OpenSSH <c>internal-sftp</c> on a free loopback port, set up the way that script does (a
/// <c>sluicesftp</c> user with a password; needs root and <c>/usr/sbin/sshd</c>) and stopped when disposed.
/// </summary>
internal sealed class BenchSftpServer : IDisposable
{
    private const string User = "sluicesftp";
    private const string Password = "Sftp-Test-Pass-1";

    private readonly Process? _sshd;
    private readonly string? _folder;

    private BenchSftpServer(SftpEndpoint endpoint, Process? sshd, string? folder)
    {
        Endpoint = endpoint;
        _sshd = sshd;
        _folder = folder;
    }

    public SftpEndpoint Endpoint { get; }

    public string Description => _sshd is null ? $"SLUICE_TEST_SFTP ({Endpoint})" : $"a private sshd started for this run ({Endpoint})";

    public static async Task<BenchSftpServer?> AttachOrStartAsync()
    {
        var env = Environment.GetEnvironmentVariable("SLUICE_TEST_SFTP");
        if (!string.IsNullOrWhiteSpace(env))
        {
            var parts = env.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            return new BenchSftpServer(new SftpEndpoint(parts["host"], int.Parse(parts["port"], CultureInfo.InvariantCulture), parts["user"], parts["password"], null, null,
                HostKeyFingerprint.OfPublicKeyLine(await File.ReadAllTextAsync(parts["hostkey"]))), null, null);
        }
        if (!Environment.IsPrivilegedProcess || !File.Exists("/usr/sbin/sshd"))
        {
            Console.Error.WriteLine("needs SLUICE_TEST_SFTP (host=..;port=..;user=..;password=..;hostkey=..), or root and /usr/sbin/sshd to start one");
            return null;
        }

        var folder = Directory.CreateTempSubdirectory("sluice-bench-sshd-").FullName;
        await RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(folder, "hostkey")], null);
        if (await RunAsync("id", [User], null, check: false) != 0) await RunAsync("useradd", ["-m", "-s", "/bin/bash", User], null);
        await RunAsync("chpasswd", [], $"{User}:{Password}\n");
        Directory.CreateDirectory("/run/sshd");
        var port = Hosting.FreePort.Next();
        var config = Path.Combine(folder, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            Port {port}
            ListenAddress 127.0.0.1
            HostKey {folder}/hostkey
            PidFile {folder}/sshd.pid
            PasswordAuthentication yes
            KbdInteractiveAuthentication no
            UsePAM no
            PermitRootLogin no
            AllowUsers {User}
            Subsystem sftp internal-sftp
            ForceCommand internal-sftp

            """);
        var start = new ProcessStartInfo("/usr/sbin/sshd") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-D", "-e", "-f", config }) start.ArgumentList.Add(a);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sshd = Process.Start(start) ?? throw new InvalidOperationException("sshd did not start");
        sshd.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("Server listening on", StringComparison.Ordinal) == true) listening.TrySetResult();
        };
        sshd.BeginErrorReadLine();
        sshd.BeginOutputReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var fingerprint = HostKeyFingerprint.OfPublicKeyLine(await File.ReadAllTextAsync(Path.Combine(folder, "hostkey.pub")));
        return new BenchSftpServer(new SftpEndpoint("127.0.0.1", port, User, Password, null, null, fingerprint), sshd, folder);
    }

    public void Dispose()
    {
        if (_sshd is not null)
        {
            if (!_sshd.HasExited) _sshd.Kill();
            _sshd.WaitForExit();
            _sshd.Dispose();
        }
        if (_folder is not null) Directory.Delete(_folder, recursive: true);
    }

    private static async Task<int> RunAsync(string file, string[] arguments, string? input, bool check = true)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (check && process.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {await error}");
        return process.ExitCode;
    }
}
