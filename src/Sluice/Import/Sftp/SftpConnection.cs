using System.Net.Sockets;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Sluice.Import.Sftp;

/// <summary>
/// A logged-in SFTP session whose server proved the pinned host key. Disposing it closes the connection and forgets
/// the key material it was opened with.
/// </summary>
internal sealed class SftpConnection : IDisposable
{
    private readonly PrivateKeyFile? _key;

    private SftpConnection(SftpClient client, PrivateKeyFile? key, string seenFingerprint)
    {
        Client = client;
        _key = key;
        SeenFingerprint = seenFingerprint;
    }

    /// <summary>Bytes asked for per SFTP read request.</summary>
    public const uint ReadRequestBytes = 64 * 1024;

    public SftpClient Client { get; }

    /// <summary>The SHA-256 fingerprint of the key the server presented (equal to the pinned one).</summary>
    public string SeenFingerprint { get; }

    /// <summary>
    /// Connects and logs in, or says why not in words fit for a person and a log: wrong password or key, a host key
    /// that is not the pinned one (with the fingerprint seen), unreachable, timed out. Never a secret in the reason.
    /// </summary>
    public static async Task<SftpConnectResult> OpenAsync(SftpEndpoint endpoint, SftpOptions options, CancellationToken ct)
    {
        PrivateKeyFile? key = null;
        var methods = new List<AuthenticationMethod>();
        try
        {
            if (endpoint.PrivateKey is not null)
            {
                key = LoadKey(endpoint.PrivateKey, endpoint.PrivateKeyPassphrase);
                methods.Add(new PrivateKeyAuthenticationMethod(endpoint.Username, key));
            }
        }
        catch (Exception e) when (e is SshException or InvalidOperationException or ArgumentException or FormatException)
        {
            return SftpConnectResult.Failed("the private key cannot be read (wrong passphrase or not an OpenSSH private key)", null);
        }
        if (endpoint.Password is not null) methods.Add(new PasswordAuthenticationMethod(endpoint.Username, endpoint.Password));

        var info = new Renci.SshNet.ConnectionInfo(endpoint.Host, endpoint.Port, endpoint.Username, [.. methods]) { Timeout = options.ConnectTimeout };
        PreferAesGcm(info);
        var client = new SftpClient(info)
        {
            OperationTimeout = options.OperationTimeout,
            // The largest read SSH.NET asks for (its channel packets are 64 KiB): half the requests and answers of its
            // 32 KiB default for the same file.
            BufferSize = ReadRequestBytes,
        };
        string? seen = null;
        client.HostKeyReceived += (_, e) =>
        {
            seen = e.FingerPrintSHA256;
            e.CanTrust = string.Equals(e.FingerPrintSHA256, endpoint.HostKeyFingerprint, StringComparison.Ordinal);
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.ConnectTimeout);
        string reason;
        try
        {
            await client.ConnectAsync(timeout.Token);
            return SftpConnectResult.Connected(new SftpConnection(client, key, seen!));
        }
        catch (Exception) when (seen is not null && !string.Equals(seen, endpoint.HostKeyFingerprint, StringComparison.Ordinal))
        {
            reason = $"host key mismatch: {endpoint.Host}:{endpoint.Port} presented {HostKeyFingerprint.Show(seen)}, " +
                     $"but the authorization pins {HostKeyFingerprint.Show(endpoint.HostKeyFingerprint)}; nothing was sent to it";
        }
        catch (SshAuthenticationException)
        {
            reason = $"login refused for user \"{endpoint.Username}\" on {endpoint.Host}:{endpoint.Port}: wrong password or key";
        }
        catch (SocketException e)
        {
            reason = $"unreachable: {endpoint.Host}:{endpoint.Port} ({Describe(e.SocketErrorCode)})";
        }
        catch (Exception e) when (e is OperationCanceledException or SshOperationTimeoutException or TimeoutException && !ct.IsCancellationRequested)
        {
            reason = $"unreachable: {endpoint.Host}:{endpoint.Port} did not complete the SSH login within {options.ConnectTimeoutSeconds} s";
        }
        catch (SshConnectionException e)
        {
            reason = $"the SSH connection to {endpoint.Host}:{endpoint.Port} failed: {e.Message}";
        }
        catch (SshException e)
        {
            reason = $"the SSH server at {endpoint.Host}:{endpoint.Port} refused the session: {e.Message}";
        }
        catch
        {
            client.Dispose();
            key?.Dispose();
            throw;
        }
        client.Dispose();
        key?.Dispose();
        return SftpConnectResult.Failed(reason, seen);
    }

    /// <summary>Reads an OpenSSH (or PEM) private key; throws when it is not one or the passphrase does not open it.</summary>
    public static PrivateKeyFile LoadKey(string privateKey, string? passphrase)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(privateKey.Trim() + "\n"));
        return string.IsNullOrEmpty(passphrase) ? new PrivateKeyFile(stream) : new PrivateKeyFile(stream, passphrase);
    }

    public void Dispose()
    {
        try
        {
            if (Client.IsConnected) Client.Disconnect();
        }
        catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is going away either way.
        }
        Client.Dispose();
        _key?.Dispose();
    }

    /// <summary>
    /// Puts AES-GCM first when SSH.NET offers it: one pass of the platform's AES-GCM per packet, where SSH.NET's first
    /// choice (aes128-ctr with hmac-sha2-256) encrypts and authenticates in two. A server that does not offer it
    /// agrees on the next cipher in SSH.NET's order, as before.
    /// </summary>
    private static void PreferAesGcm(Renci.SshNet.ConnectionInfo info)
    {
        const string Gcm = "aes128-gcm@openssh.com";
        if (info.Encryptions.ContainsKey(Gcm)) info.Encryptions.SetPosition(Gcm, 0);
    }

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "unknown host",
        SocketError.TimedOut => "timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route to host",
        _ => error.ToString(),
    };
}

/// <summary>A connection, or why there is none and the fingerprint the server showed if it got that far.</summary>
internal sealed record SftpConnectResult(SftpConnection? Connection, string? Error, string? SeenFingerprint)
{
    public static SftpConnectResult Connected(SftpConnection connection) => new(connection, null, connection.SeenFingerprint);

    public static SftpConnectResult Failed(string error, string? seen) => new(null, error, seen);
}
