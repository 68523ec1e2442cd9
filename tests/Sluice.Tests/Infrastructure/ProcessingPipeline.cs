using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Sluice.Accounts;
using Sluice.EventLog;
using Sluice.Hosting;
using Sluice.Mapping;
using Sluice.Processing;
using Sluice.Profiles;
using Sluice.Storage.Sqlite;

namespace Sluice.Tests.Infrastructure;

/// <summary>
/// The log and the profile processor without HTTP or Orleans, on a temporary store: append events, process them in
/// batches of a chosen size, read back every profile in a canonical form.
/// </summary>
internal sealed class ProcessingPipeline : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _dir;

    private ProcessingPipeline(ServiceProvider services, string dir, Account account)
    {
        _services = services;
        _dir = dir;
        Account = account;
    }

    public Account Account { get; }

    /// <summary>The partition's in-memory state, owned here as a partition grain owns it on a server.</summary>
    public PartitionState State { get; } = new(0);

    public IServiceProvider Services => _services;

    public static async Task<ProcessingPipeline> CreateAsync(
        int batchSize, IReadOnlyDictionary<string, string>? mappings = null, int maxLinks = 1000, int cacheMegabytes = 512, TimeProvider? time = null)
    {
        var dir = Directory.CreateTempSubdirectory("sluice-pipeline-").FullName;
        var services = await SluiceServices.OpenOfflineAsync(dir, s => s
            .Configure<ProcessingOptions>(o => (o.BatchSize, o.Partitions, o.ProfileCacheMegabytes) = (batchSize, 1, cacheMegabytes))
            .Configure<IdentityOptions>(o => o.MaxLinksPerValue = maxLinks)
            .AddSingleton(time ?? TimeProvider.System), CancellationToken.None);
        var account = await services.GetRequiredService<IAccountStore>().CreateAsync("test", CancellationToken.None);
        foreach (var (alias, text) in mappings ?? new Dictionary<string, string>())
        {
            var compiled = Query.Lql.CompiledMapping.Compile(text);
            await services.GetRequiredService<IMappingStore>().UpsertAsync(account.Id,
                new StoredMapping(alias, compiled.Stream, text, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), CancellationToken.None);
        }
        return new ProcessingPipeline(services, dir, account);
    }

    public Task AppendAsync(IEnumerable<(string Stream, long TimeMs, string Json)> events) =>
        _services.GetRequiredService<IEventLog>().AppendAsync(
            [.. events.Select(e => new NewEvent(Account.Id, 0, e.Stream, e.TimeMs, e.TimeMs, Encoding.UTF8.GetBytes(e.Json)))], CancellationToken.None);

    public async Task ProcessAllAsync()
    {
        var processor = _services.GetRequiredService<ProfileProcessor>();
        while (await processor.ProcessBatchAsync(State, CancellationToken.None) > 0)
        {
        }
    }

    public Task ResetAsync(long fromPosition) =>
        _services.GetRequiredService<IProfileStore>().ResetAsync(fromPosition, 1, CancellationToken.None);

    /// <summary>Every profile as canonical JSON without what depends on arrival (ids, processing time), sorted.</summary>
    public async Task<List<string>> CanonicalProfilesAsync()
    {
        var db = _services.GetRequiredService<SqliteDatabase>();
        await using var c = await db.OpenAsync(CancellationToken.None);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id FROM profiles ORDER BY id";
        var ids = new List<long>();
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync()) ids.Add(r.GetInt64(0));
        }
        var store = _services.GetRequiredService<IProfileStore>();
        var result = new List<string>();
        foreach (var id in ids)
        {
            var profile = (await store.LoadAsync(Account.Id, id, CancellationToken.None))!;
            var view = ProfileView.Render(profile, null);
            view.Remove("_id");
            view.Remove("_modified");
            var fields = new JsonObject();
            foreach (var (name, field) in profile.Document.Fields) fields[name] = field.Value.ToJson();
            view["_state"] = fields;
            result.Add(view.ToJsonString());
        }
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await State.DisposeAsync();
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
