namespace Sluice.Profiles;

/// <summary>A profile row: the timestamps the store indexes, and the document (<see cref="ProfileDocument"/>).</summary>
internal sealed class StoredProfile
{
    public long Id { get; set; }

    public required string AccountId { get; init; }

    public long CreatedAtMs { get; set; }

    public long ModifiedAtMs { get; set; }

    public long LastEventAtMs { get; set; }

    public required ProfileDocument Document { get; init; }
}
