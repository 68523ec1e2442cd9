namespace Sluice.Import.Sftp.Managed;

/// <summary>Drop boxes on the SFTP server Sluice runs itself: one login and one directory per managed authorization.</summary>
internal interface IManagedDropBoxes
{
    /// <summary>Null when drop boxes can be made on this node; otherwise why not, for the person creating one.</summary>
    string? Unavailable { get; }

    /// <summary>The address people upload to, as shown with the credentials.</summary>
    string Host { get; }

    int Port { get; }

    /// <summary>Where this node reaches the server itself (the listen address, or loopback when it listens on all).</summary>
    string ConnectHost { get; }

    /// <summary>The SHA-256 fingerprint of the server's host key (unpadded base64), for clients to pin.</summary>
    string HostKeyFingerprint { get; }

    /// <summary>Makes the login and directory of a new drop box; the password is generated and returned only here.</summary>
    Task<DropBoxLogin> CreateAsync(string authorizationId, CancellationToken ct);

    /// <summary>Removes a drop box's login, sessions and files; nothing when it is already gone.</summary>
    Task RemoveAsync(string username, CancellationToken ct);
}

internal sealed record DropBoxLogin(string Username, string Password)
{
    public override string ToString() => Username;
}
