using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Sluice.Import.Sftp.Managed;

/// <summary>
/// The managed drop boxes: an OpenSSH sshd that Sluice configures, starts and stops itself, serving only
/// <c>internal-sftp</c>, each drop box chrooted to its own directory.
/// <para>
/// How people log in: sshd without PAM checks passwords only against system accounts, so each drop box is a system
/// user (<c>sluice-</c> and 12 hex digits of its authorization id) with no home and no shell, its password set
/// through <c>chpasswd</c>. That needs root, which the server has in tests and CI; elsewhere creating a drop box is
/// refused with that reason. The alternatives were worse: PAM with a password-file module is not installed here, and
/// keys only (AuthorizedKeysCommand) would not give people the password the product promises. sshd's configuration,
/// rewritten on every change, allows exactly the drop-box users (<c>AllowUsers</c>), so a system user this server did
/// not make can never log in, and it is reloaded with SIGHUP. sshd refuses to chroot below a folder that is not
/// root-owned or is writable by others: the box folder is root's, and the user writes in its <c>upload</c>
/// subfolder, where sessions start.
/// </para>
/// <para>
/// Deleting the authorization removes the user from the configuration, ends its sessions, deletes the system user
/// and its files. The drop boxes live on this node's disk: with several nodes, enable them on one.
/// </para>
/// <para>
/// An sshd that exits while Sluice runs (killed, out of memory) is started again, after 1 s, then 2, 4 ... up to a
/// minute while it keeps failing, so that uploads work again without an operator; <c>/readyz</c> reports it degraded
/// meanwhile (collect and the API still work, so the node stays in rotation).
/// </para>
/// </summary>
internal sealed partial class ManagedSftpServer(
    IOptions<ManagedSftpOptions> options, ManagedSftpFolder folder, TimeProvider time, ILogger<ManagedSftpServer> logger)
    : IManagedDropBoxes, IHostedService, IDisposable
{
    private const string UserPrefix = "sluice-";
    private const string UploadFolder = "upload";
    private static readonly TimeSpan ListenTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan FirstRestartDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRestartDelay = TimeSpan.FromMinutes(1);

    /// <summary>An sshd that stayed up this long before it exited gets the first, shortest delay again.</summary>
    private static readonly TimeSpan StableRun = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _stopping = new();
    private DateTimeOffset _startedAt;
    private TimeSpan _nextRestartDelay = FirstRestartDelay;
    private int _restarts;
    private string? _lastExit;
    private bool _restarting;
    private int _disposed;

    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly Lock _listening = new();
    private Process? _sshd;
    private TaskCompletionSource _listeningSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _unavailable = "managed SFTP drop boxes are not enabled on this server (set Sluice:Sftp:Managed:Enabled)";
    private int _port;
    private string _fingerprint = "";

    private ManagedSftpOptions Options => options.Value;

    public string? Unavailable => _unavailable;

    public string Host => Options.PublicHost ?? Options.ListenAddress;

    public int Port => _port;

    public string ConnectHost => Options.ListenAddress is "0.0.0.0" or "::" or "*" ? "127.0.0.1" : Options.ListenAddress;

    public string HostKeyFingerprint => _fingerprint;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Options.Enabled) return;
        if (!Environment.IsPrivilegedProcess)
        {
            _unavailable = "managed SFTP drop boxes need Sluice to run as root: each drop box is a system user chrooted by sshd";
            LogUnavailable(_unavailable);
            return;
        }
        if (!File.Exists(Options.SshdPath))
        {
            _unavailable = $"managed SFTP drop boxes need OpenSSH's sshd at {Options.SshdPath} (Sluice:Sftp:Managed:SshdPath)";
            LogUnavailable(_unavailable);
            return;
        }
        if (folder.Unsafe() is { } unsafeFolder)
        {
            _unavailable = $"managed SFTP drop boxes cannot live in {folder.Root}: {unsafeFolder}, and sshd refuses to chroot below it (set Sluice:Sftp:Managed:DataFolder)";
            LogUnavailable(_unavailable);
            return;
        }
        folder.Create();
        if (!File.Exists(folder.HostKey))
        {
            await SystemCommand.MustAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "sluice-managed-sftp", "-f", folder.HostKey], null, cancellationToken);
        }
        _fingerprint = Sftp.HostKeyFingerprint.OfPublicKeyLine(await File.ReadAllTextAsync(folder.HostKey + ".pub", cancellationToken));
        _port = Options.Port == 0 ? Hosting.FreePort.Next() : Options.Port;
        await LaunchAsync(cancellationToken);
        _unavailable = null;
        LogStarted(Options.ListenAddress, _port);
    }

    /// <summary>Writes the configuration and starts sshd (stopping one a crashed run left behind); returns once it listens.</summary>
    private async Task LaunchAsync(CancellationToken ct)
    {
        await StopStaleAsync(ct);
        await File.WriteAllTextAsync(folder.Config, Configuration(await UsersAsync(ct)), ct);
        Directory.CreateDirectory("/run/sshd");

        var start = new ProcessStartInfo(Options.SshdPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-D", "-e", "-f", folder.Config }) start.ArgumentList.Add(a);
        var waiting = NextListening();
        var sshd = new Process { StartInfo = start, EnableRaisingEvents = true };
        sshd.ErrorDataReceived += (_, e) => OnSshdLine(e.Data);
        sshd.OutputDataReceived += (_, e) => OnSshdLine(e.Data);
        sshd.Exited += (_, _) => OnExited(sshd);
        if (!sshd.Start()) throw new InvalidOperationException("sshd did not start");
        var previous = _sshd;
        _sshd = sshd;
        previous?.Dispose();
        _startedAt = time.GetUtcNow();
        sshd.BeginErrorReadLine();
        sshd.BeginOutputReadLine();
        try
        {
            await WaitListeningAsync(waiting, ct);
        }
        catch
        {
            if (!sshd.HasExited) sshd.Kill();
            throw;
        }
    }

    /// <summary>What <c>/readyz</c> shows of the drop-box server.</summary>
    public ManagedSftpStatus Status => new(Options.Enabled, _unavailable, _restarting, _restarts, _lastExit);

    /// <summary>sshd exited while this node runs: drop boxes are unavailable until it is started again, with backoff.</summary>
    private void OnExited(Process sshd)
    {
        // Only an sshd that was serving is watched: during the first start or a restart, the one starting it sees a
        // failure itself (it never listens) and reports or retries.
        if (_stopping.IsCancellationRequested || !ReferenceEquals(sshd, _sshd) || _restarting || _unavailable is not null) return;
        int code;
        try
        {
            code = sshd.ExitCode;
        }
        catch (InvalidOperationException)
        {
            code = -1;
        }
        var ran = time.GetUtcNow() - _startedAt;
        if (ran >= StableRun) _nextRestartDelay = FirstRestartDelay;
        _lastExit = $"sshd exited with code {code} at {time.GetUtcNow():u} after running {ran.TotalSeconds:0} s";
        _restarting = true;
        _unavailable = "the managed SFTP server stopped unexpectedly and is being restarted";
        LogExited(code, ran.TotalSeconds, _nextRestartDelay.TotalSeconds);
        _ = Task.Run(RestartAsync);
    }

    /// <summary>Starts sshd again after the current delay, doubling it after each failed try; stops with the node.</summary>
    private async Task RestartAsync()
    {
        var ct = _stopping.Token;
        for (var attempt = 1; !ct.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(_nextRestartDelay, time, ct);
                _nextRestartDelay = TimeSpan.FromTicks(Math.Min(_nextRestartDelay.Ticks * 2, LongestRestartDelay.Ticks));
                await _changes.WaitAsync(ct);
                try
                {
                    await LaunchAsync(ct);
                }
                finally
                {
                    _changes.Release();
                }
                _restarts++;
                _restarting = false;
                _unavailable = null;
                LogRestarted(attempt, Options.ListenAddress, _port);
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
            {
                LogRestartFailed(attempt, _nextRestartDelay.TotalSeconds, e.Message);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_sshd is not { HasExited: false } sshd) return;
        _unavailable = "the managed SFTP server is stopping";
        await SystemCommand.RunAsync("kill", ["-TERM", sshd.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, cancellationToken);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await sshd.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            sshd.Kill(entireProcessTree: true);
        }
    }

    public async Task<DropBoxLogin> CreateAsync(string authorizationId, CancellationToken ct)
    {
        if (_unavailable is { } why) throw new InvalidOperationException(why);
        var user = UserPrefix + authorizationId.ToLowerInvariant()[..12];
        if (!UserName().IsMatch(user)) throw new ArgumentException("an authorization id starts with 12 hex digits", nameof(authorizationId));
        var password = NewPassword();
        await _changes.WaitAsync(ct);
        try
        {
            // No home, no shell, no group of others: the account exists only for sshd to check a password against.
            await SystemCommand.MustAsync("useradd",
                ["--no-create-home", "--home-dir", "/" + UploadFolder, "--shell", "/usr/sbin/nologin", "--comment", "Sluice drop box", user], null, ct);
            try
            {
                await SystemCommand.MustAsync("chpasswd", [], $"{user}:{password}\n", ct);
                var box = folder.Box(user);
                Directory.CreateDirectory(box);
                ManagedSftpFolder.SetMode(box, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                    UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
                var upload = Path.Combine(box, UploadFolder);
                Directory.CreateDirectory(upload);
                ManagedSftpFolder.SetMode(upload, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                await SystemCommand.MustAsync("chown", [$"{user}:", upload], null, ct);
                await ReloadAsync(ct);
            }
            catch
            {
                await RemoveLockedAsync(user, CancellationToken.None);
                throw;
            }
        }
        finally
        {
            _changes.Release();
        }
        LogCreated(user);
        return new DropBoxLogin(user, password);
    }

    public async Task RemoveAsync(string username, CancellationToken ct)
    {
        // Only ever a user this server made: the name is checked before anything is deleted.
        if (!UserName().IsMatch(username)) return;
        await _changes.WaitAsync(ct);
        try
        {
            await RemoveLockedAsync(username, ct);
        }
        finally
        {
            _changes.Release();
        }
        LogRemoved(username);
    }

    private async Task RemoveLockedAsync(string user, CancellationToken ct)
    {
        var box = folder.Box(user);
        if (Directory.Exists(box)) Directory.Delete(box, recursive: true);
        if (_sshd is { HasExited: false }) await ReloadAsync(ct);
        await EndSessionsAsync(user, ct);
        var (exit, error) = await SystemCommand.RunAsync("userdel", ["--force", user], null, ct);
        // 6: no such user, already gone.
        if (exit != 0 && exit != 6) throw new InvalidOperationException($"userdel failed ({exit}): {error}");
    }

    /// <summary>Ends the sessions of a drop box being deleted: its sftp processes run under its uid.</summary>
    private static async Task EndSessionsAsync(string user, CancellationToken ct)
    {
        var (exit, uid) = await SystemCommandOutput("id", ["-u", user], ct);
        if (exit != 0) return;
        foreach (var status in Directory.EnumerateDirectories("/proc").Where(d => char.IsDigit(Path.GetFileName(d)[0])))
        {
            string[] lines;
            try
            {
                lines = await File.ReadAllLinesAsync(Path.Combine(status, "status"), ct);
            }
            catch (IOException)
            {
                continue;
            }
            var line = lines.FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            if (line is null || line.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) != uid) continue;
            try
            {
                using var process = Process.GetProcessById(int.Parse(Path.GetFileName(status), System.Globalization.CultureInfo.InvariantCulture));
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // It ended on its own.
            }
        }
    }

    private static async Task<(int Exit, string Output)> SystemCommandOutput(string file, string[] arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, output.Trim());
    }

    /// <summary>Rewrites the configuration and has sshd re-read it; returns once it listens again.</summary>
    private async Task ReloadAsync(CancellationToken ct)
    {
        await File.WriteAllTextAsync(folder.Config, Configuration(await UsersAsync(ct)), ct);
        if (_sshd is not { HasExited: false } sshd) return;
        var waiting = NextListening();
        await SystemCommand.MustAsync("kill", ["-HUP", sshd.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, ct);
        await WaitListeningAsync(waiting, ct);
    }

    /// <summary>The drop-box users whose box exists and whose system account exists.</summary>
    private async Task<List<string>> UsersAsync(CancellationToken ct)
    {
        var users = new List<string>();
        foreach (var box in Directory.EnumerateDirectories(folder.Boxes))
        {
            var user = Path.GetFileName(box);
            if (!UserName().IsMatch(user)) continue;
            if ((await SystemCommandOutput("id", ["-u", user], ct)).Exit != 0)
            {
                LogOrphanBox(user);
                continue;
            }
            users.Add(user);
        }
        users.Sort(StringComparer.Ordinal);
        return users;
    }

    private string Configuration(IReadOnlyList<string> users)
    {
        var text = new StringBuilder();
        text.AppendLine("# Written by Sluice for its managed SFTP drop boxes, and rewritten on every change: edits are lost.");
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Port {_port}");
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"ListenAddress {Options.ListenAddress}");
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"HostKey {folder.HostKey}");
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"PidFile {folder.PidFile}");
        text.AppendLine("""
            PasswordAuthentication yes
            PermitEmptyPasswords no
            KbdInteractiveAuthentication no
            PubkeyAuthentication no
            AuthorizedKeysFile none
            UsePAM no
            PermitRootLogin no
            MaxAuthTries 3
            AllowTcpForwarding no
            AllowAgentForwarding no
            AllowStreamLocalForwarding no
            X11Forwarding no
            PermitTTY no
            PermitTunnel no
            Subsystem sftp internal-sftp
            """);
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"ChrootDirectory {folder.Boxes}/%u");
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"ForceCommand internal-sftp -d /{UploadFolder}");
        // AllowUsers with no names is an error in sshd; with no drop box, nobody may log in.
        text.AppendLine(users.Count == 0 ? "DenyUsers *" : "AllowUsers " + string.Join(' ', users));
        return text.ToString();
    }

    /// <summary>Stops an sshd a previous run of this server left behind (a crash), found by its pid file and configuration.</summary>
    private async Task StopStaleAsync(CancellationToken ct)
    {
        if (!File.Exists(folder.PidFile)) return;
        if (!int.TryParse((await File.ReadAllTextAsync(folder.PidFile, ct)).Trim(), out var pid)) return;
        var cmdline = Path.Combine("/proc", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "cmdline");
        if (!File.Exists(cmdline) || !(await File.ReadAllTextAsync(cmdline, ct)).Contains(folder.Config, StringComparison.Ordinal)) return;
        await SystemCommand.RunAsync("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, ct);
        // It must let go of the port before the new one binds it; it is not our child, so there is nothing to await but its exit.
        for (var i = 0; i < 50 && File.Exists(cmdline); i++) await Task.Delay(100, ct);
    }

    private TaskCompletionSource NextListening()
    {
        lock (_listening)
        {
            _listeningSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _listeningSignal;
        }
    }

    private async Task WaitListeningAsync(TaskCompletionSource waiting, CancellationToken ct)
    {
        try
        {
            await waiting.Task.WaitAsync(ListenTimeout, ct);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"sshd did not listen on {Options.ListenAddress}:{_port} within {ListenTimeout.TotalSeconds} s (see its log lines above)");
        }
    }

    /// <summary>sshd's own log (-e): "Server listening on ..." marks it ready; the rest goes to the debug log.</summary>
    private void OnSshdLine(string? line)
    {
        if (line is null) return;
        if (line.StartsWith("Server listening on", StringComparison.Ordinal))
        {
            lock (_listening) _listeningSignal.TrySetResult();
        }
        else if (line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("fatal", StringComparison.OrdinalIgnoreCase))
        {
            LogSshdError(line);
        }
        else
        {
            LogSshd(line);
        }
    }

    private static string NewPassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return RandomNumberGenerator.GetString(alphabet, 24);
    }

    public void Dispose()
    {
        // Disposed twice: the container tracks it as a singleton and once more as the hosted service's instance.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stopping.Cancel();
        _stopping.Dispose();
        _changes.Dispose();
        _sshd?.Dispose();
    }

    [GeneratedRegex("^sluice-[0-9a-f]{12}$")]
    private static partial Regex UserName();

    [LoggerMessage(LogLevel.Warning, "Managed SFTP is enabled but unavailable: {Reason}")]
    private partial void LogUnavailable(string reason);

    [LoggerMessage(LogLevel.Information, "Managed SFTP server listening on {Address}:{Port}")]
    private partial void LogStarted(string address, int port);

    [LoggerMessage(LogLevel.Error, "Managed SFTP server (sshd) exited unexpectedly with code {Code} after {Seconds:0} s; restarting it in {Delay} s")]
    private partial void LogExited(int code, double seconds, double delay);

    [LoggerMessage(LogLevel.Warning, "Managed SFTP server restarted (attempt {Attempt}), listening on {Address}:{Port}")]
    private partial void LogRestarted(int attempt, string address, int port);

    [LoggerMessage(LogLevel.Error, "Managed SFTP server restart attempt {Attempt} failed; next try in {Delay} s: {Reason}")]
    private partial void LogRestartFailed(int attempt, double delay, string reason);

    [LoggerMessage(LogLevel.Information, "Managed SFTP drop box {User} created")]
    private partial void LogCreated(string user);

    [LoggerMessage(LogLevel.Information, "Managed SFTP drop box {User} removed")]
    private partial void LogRemoved(string user);

    [LoggerMessage(LogLevel.Warning, "Managed SFTP drop box {User} has no system account (was the machine rebuilt?): it cannot log in; delete and recreate its authorization")]
    private partial void LogOrphanBox(string user);

    [LoggerMessage(LogLevel.Warning, "sshd: {Line}")]
    private partial void LogSshdError(string line);

    [LoggerMessage(LogLevel.Debug, "sshd: {Line}")]
    private partial void LogSshd(string line);
}
