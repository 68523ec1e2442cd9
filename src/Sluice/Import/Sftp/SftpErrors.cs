using System.Net.Sockets;
using Renci.SshNet.Common;

namespace Sluice.Import.Sftp;

/// <summary>
/// SSH.NET's exceptions as the import side expects them from any source (a local folder throws the same types):
/// a missing path is <see cref="DirectoryNotFoundException"/> or <see cref="FileNotFoundException"/>, a refusal
/// <see cref="UnauthorizedAccessException"/>, and a dropped or stalled connection an <see cref="IOException"/>, so
/// that a job can tell a bad directory from a network failure without knowing the SFTP library.
/// </summary>
internal static class SftpErrors
{
    public static bool IsSftp(Exception e) => e is SshException or SocketException;

    public static Exception Translate(Exception e, string what, bool directory)
    {
        return e switch
        {
            SftpPathNotFoundException when directory => new DirectoryNotFoundException($"{what}: no such directory on the SFTP server", e),
            SftpPathNotFoundException => new FileNotFoundException($"{what}: no such file on the SFTP server", e),
            SftpPermissionDeniedException => new UnauthorizedAccessException($"{what}: the SFTP server denied permission", e),
            SshOperationTimeoutException => new IOException($"{what}: the SFTP server did not answer in time", e),
            _ => new IOException($"{what}: the SFTP connection failed ({e.Message})", e),
        };
    }
}
