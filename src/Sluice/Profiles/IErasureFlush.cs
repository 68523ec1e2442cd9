namespace Sluice.Profiles;

/// <summary>
/// Makes a privacy delete final on disk. A store may keep older copies of what it deleted beside the live data (a
/// write-ahead log holds every page image written since its last checkpoint); this copies the live pages into place
/// and empties those logs, in every file of the store.
/// </summary>
internal interface IErasureFlush
{
    Task FlushAsync(CancellationToken ct);
}
