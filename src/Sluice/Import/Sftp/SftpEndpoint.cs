namespace Sluice.Import.Sftp;

/// <summary>
/// Where and as whom to log in: decrypted from an authorization only to connect, never shown or logged
/// (<see cref="ToString"/> leaves the secrets out, so that an accidental interpolation cannot leak them).
/// </summary>
internal sealed record SftpEndpoint(
    string Host,
    int Port,
    string Username,
    string? Password,
    string? PrivateKey,
    string? PrivateKeyPassphrase,
    string HostKeyFingerprint)
{
    public override string ToString() => $"{Username}@{Host}:{Port}";
}
