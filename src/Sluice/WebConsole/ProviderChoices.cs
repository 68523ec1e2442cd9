namespace Sluice.WebConsole;

/// <summary>
/// The providers the console offers when creating an authorization or a job, as the seed names them: Braze, and
/// Custom Integrations (SFTP). <see cref="Matches"/> is the provider search box.
/// </summary>
internal static class ProviderChoices
{
    public const string Braze = "braze";
    public const string Custom = "custom";

    public static IReadOnlyList<(string Key, string Name, string Help)> All { get; } =
    [
        (Braze, "Braze", "Send audience membership to Braze user profiles (REST API key)"),
        (Custom, "Custom Integrations", "Files over SFTP: your server, your server with a PGP key, or one Sluice hosts"),
    ];

    /// <summary>The SFTP authorization types, as the seed lists them (value as the API spells it, text as people read it).</summary>
    public static IReadOnlyList<(string Type, string Name, string Help)> SftpTypes { get; } =
    [
        ("client", "SFTP client", "Sluice signs in to your SFTP server with a password or a private key"),
        ("client_pgp", "SFTP client with PGP private key", "as above, and files are decrypted with your PGP private key"),
        ("managed", "Managed SFTP", "Sluice hosts an SFTP folder for you; its credentials are shown once"),
        ("public_key", "SFTP with a key pair Sluice makes", "for exports: you install the public key Sluice shows on your server"),
    ];

    public static IEnumerable<(string Key, string Name, string Help)> Matches(string? query) =>
        string.IsNullOrWhiteSpace(query)
            ? All
            : All.Where(p => p.Name.Contains(query.Trim(), StringComparison.OrdinalIgnoreCase) || p.Help.Contains(query.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string NameOf(string provider) =>
        All.FirstOrDefault(p => string.Equals(p.Key, provider, StringComparison.OrdinalIgnoreCase)).Name
        ?? (string.Equals(provider, "sftp", StringComparison.OrdinalIgnoreCase) ? "Custom Integrations (SFTP)" : provider);
}
