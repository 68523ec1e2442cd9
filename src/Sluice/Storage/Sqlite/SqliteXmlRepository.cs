using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Data.Sqlite;

namespace Sluice.Storage.Sqlite;

/// <summary>
/// Data Protection's key ring in the main store. Data Protection's repository interface is synchronous; it is read
/// when the key ring is first needed and then about once a day (the ring is cached), so the blocking reads here never
/// sit on a hot path.
/// </summary>
internal sealed class SqliteXmlRepository(SqliteDatabase db) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var c = Open();
        return [.. c.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name").Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var c = Open();
        // Two nodes may create a key at the same moment; each key has a unique name, so both are kept.
        c.Execute(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @now) ON CONFLICT (name) DO NOTHING",
            new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = UnixMs.From(DateTimeOffset.UtcNow) });
    }

    private SqliteConnection Open() => db.Open();
}
