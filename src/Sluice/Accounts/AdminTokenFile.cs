using System.Globalization;
using Sluice.Auth;

namespace Sluice.Accounts;

/// <summary>
/// Where the first-start admin token goes when no one is watching the terminal: a file in the data folder that only
/// its owner can read. Under systemd, Docker or Kubernetes standard output is the log, and a secret there is kept,
/// shipped and indexed with everything else.
/// </summary>
internal static class AdminTokenFile
{
    public const string Name = "admin-token.txt";

    /// <summary>Writes the token with the account number and how to get rid of the file; returns the file's path.</summary>
    public static string Write(string dataDir, Account account, CreatedToken admin, DateTimeOffset now)
    {
        var path = Path.GetFullPath(Path.Combine(dataDir, Name));
        // A file left from an earlier store may have any mode; a new one is created with the owner's bits only.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(path, options);
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# Sluice admin token for account {account.Number}, created on first start at {now:yyyy-MM-dd'T'HH:mm:ss'Z'}."));
        writer.WriteLine("# Keep it somewhere safe (a password manager, a secret store), then delete this file:");
        writer.WriteLine($"#   rm '{path}'");
        writer.WriteLine("# More tokens: sluice token create --name NAME --role data_manager --expires 90d");
        writer.WriteLine(admin.Secret);
        return path;
    }
}
