namespace Sluice.Import.Sftp.Managed;

/// <summary>
/// The drop-box server as <c>/readyz</c> reports it: whether it is enabled, why it cannot serve (null when it
/// listens), whether a restart after a crash is under way, how many restarts there were and how the last sshd ended.
/// </summary>
internal sealed record ManagedSftpStatus(bool Enabled, string? Unavailable, bool Restarting, int Restarts, string? LastExit);
