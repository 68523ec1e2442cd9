using System.Security.Cryptography;
using Sluice.BrazeSimulator.Track;

namespace Sluice.BrazeSimulator.Store;

/// <summary>The simulator's profiles. One lock guards the profiles and all indexes: a request's objects are applied
/// under it in one go, which keeps the indexes consistent and costs a few microseconds per object.</summary>
internal sealed class UserStore(BrazeSimulatorOptions options)
{
    private readonly Lock _gate = new();
    private readonly List<SimUser> _all = [];
    private readonly Dictionary<string, SimUser> _byExternalId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimUser> _byBrazeId = new(StringComparer.Ordinal);
    private readonly Dictionary<UserAlias, SimUser> _byAlias = [];
    private readonly Dictionary<string, List<SimUser>> _byEmail = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SimUser>> _byPhone = new(StringComparer.Ordinal);
    private long _sequence;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _all.Count;
            }
        }
    }

    /// <summary>Applies validated objects in order (attributes, events, purchases, as Braze processes them).</summary>
    public ApplyResult Apply(IReadOnlyList<TrackObject> objects)
    {
        var now = options.TimeProvider.GetUtcNow();
        var result = new ApplyResult();
        lock (_gate)
        {
            foreach (var obj in objects)
            {
                var user = Resolve(obj.User, obj.UpdateExistingOnly, now, ref result);
                if (user is null)
                {
                    result.Skipped++;
                    continue;
                }

                foreach (var update in obj.Attributes)
                {
                    var oldEmail = user.Email;
                    var oldPhone = user.Phone;
                    AttributeWriter.Apply(user, update, options);
                    Reindex(_byEmail, user, EmailKey(oldEmail), EmailKey(user.Email));
                    Reindex(_byPhone, user, oldPhone, user.Phone);
                }

                if (obj.Event is { } ev)
                {
                    if (!user.Events.TryGetValue(ev.Name, out var tally))
                    {
                        tally = new EventTally { First = ev.Time };
                        user.Events[ev.Name] = tally;
                    }

                    tally.Count++;
                    tally.Last = ev.Time > tally.Last ? ev.Time : tally.Last;
                    tally.First = ev.Time < tally.First ? ev.Time : tally.First;
                }

                if (obj.Purchase is { } p)
                {
                    if (!user.Purchases.TryGetValue(p.ProductId, out var tally))
                    {
                        tally = new PurchaseTally { Currency = p.Currency };
                        user.Purchases[p.ProductId] = tally;
                    }

                    tally.Count += p.Quantity;
                    tally.Total += p.Price * p.Quantity;
                }

                user.UpdatedAt = now;
                user.UpdateSequence = ++_sequence;
                result.Applied++;
                result.DataPoints += obj.DataPoints;
            }
        }

        return result;
    }

    public T? Read<T>(string externalId, Func<SimUser, T> project)
        where T : class
    {
        lock (_gate)
        {
            return _byExternalId.TryGetValue(externalId, out var user) ? project(user) : null;
        }
    }

    /// <summary>Projects every user matching <paramref name="filter"/>, in creation order, a batch at a time so that
    /// a long export never holds the lock for long.</summary>
    public IEnumerable<T> Query<T>(Func<SimUser, bool> filter, Func<SimUser, T> project, int batchSize = 1000)
    {
        var position = 0;
        while (true)
        {
            var batch = new List<T>(batchSize);
            lock (_gate)
            {
                if (position >= _all.Count)
                {
                    yield break;
                }

                var end = Math.Min(_all.Count, position + batchSize);
                for (; position < end; position++)
                {
                    if (filter(_all[position]))
                    {
                        batch.Add(project(_all[position]));
                    }
                }
            }

            foreach (var item in batch)
            {
                yield return item;
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _all.Clear();
            _byExternalId.Clear();
            _byBrazeId.Clear();
            _byAlias.Clear();
            _byEmail.Clear();
            _byPhone.Clear();
        }
    }

    private SimUser? Resolve(UserRef reference, bool updateExistingOnly, DateTimeOffset now, ref ApplyResult result)
    {
        switch (reference.Kind)
        {
            case IdentifierKind.ExternalId:
                if (_byExternalId.TryGetValue(reference.Value, out var byId))
                {
                    return byId;
                }

                if (updateExistingOnly)
                {
                    return null;
                }

                var created = Create(now, ref result);
                created.ExternalId = reference.Value;
                _byExternalId[reference.Value] = created;
                return created;

            case IdentifierKind.BrazeId:
                // Braze ids are assigned by Braze: an unknown one never creates a profile.
                return _byBrazeId.GetValueOrDefault(reference.Value);

            case IdentifierKind.UserAlias:
                var alias = new UserAlias(reference.Value, reference.AliasLabel ?? "");
                if (_byAlias.TryGetValue(alias, out var byAlias))
                {
                    return byAlias;
                }

                if (updateExistingOnly)
                {
                    return null;
                }

                var aliased = Create(now, ref result);
                aliased.Aliases.Add(alias);
                _byAlias[alias] = aliased;
                return aliased;

            case IdentifierKind.Email:
            case IdentifierKind.Phone:
                var isEmail = reference.Kind == IdentifierKind.Email;
                var key = isEmail ? EmailKey(reference.Value)! : reference.Value;
                var index = isEmail ? _byEmail : _byPhone;
                if (index.TryGetValue(key, out var matches) && matches.Count > 0)
                {
                    // Several profiles share it: the most recently updated one with an external_id wins.
                    return matches.Where(u => u.ExternalId is not null).MaxBy(u => u.UpdateSequence)
                        ?? matches.MaxBy(u => u.UpdateSequence);
                }

                if (updateExistingOnly)
                {
                    return null;
                }

                var contact = Create(now, ref result);
                contact.Attributes[isEmail ? "email" : "phone"] = reference.Value;
                Reindex(index, contact, null, key);
                return contact;

            default:
                return null;
        }
    }

    private SimUser Create(DateTimeOffset now, ref ApplyResult result)
    {
        string brazeId;
        do
        {
            brazeId = NewBrazeId(now);
        }
        while (_byBrazeId.ContainsKey(brazeId));

        var user = new SimUser(brazeId, now);
        _byBrazeId[brazeId] = user;
        _all.Add(user);
        result.Created++;
        return user;
    }

    // Braze ids look like MongoDB ObjectIds: 24 hex digits, the first 8 being the creation time in seconds.
    private static string NewBrazeId(DateTimeOffset now)
    {
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        return string.Create(24, (Seconds: (uint)now.ToUnixTimeSeconds(), Random: BitConverter.ToUInt64(random)), static (span, s) =>
        {
            s.Seconds.TryFormat(span, out _, "x8", System.Globalization.CultureInfo.InvariantCulture);
            s.Random.TryFormat(span[8..], out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    private static string? EmailKey(string? email) => email?.Trim().ToLowerInvariant();

    private static void Reindex(Dictionary<string, List<SimUser>> index, SimUser user, string? oldKey, string? newKey)
    {
        if (string.Equals(oldKey, newKey, StringComparison.Ordinal))
        {
            return;
        }

        if (oldKey is not null && index.TryGetValue(oldKey, out var oldList))
        {
            oldList.Remove(user);
            if (oldList.Count == 0)
            {
                index.Remove(oldKey);
            }
        }

        if (newKey is not null)
        {
            if (!index.TryGetValue(newKey, out var list))
            {
                list = [];
                index[newKey] = list;
            }

            list.Add(user);
        }
    }
}

internal struct ApplyResult
{
    public int Applied;
    public int Skipped;
    public int Created;
    public long DataPoints;
}
