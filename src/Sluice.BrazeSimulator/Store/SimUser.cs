namespace Sluice.BrazeSimulator.Store;

/// <summary>One profile. Only <see cref="UserStore"/> touches it, under its lock.</summary>
internal sealed class SimUser(string brazeId, DateTimeOffset createdAt)
{
    public string BrazeId { get; } = brazeId;

    public string? ExternalId { get; set; }

    public List<UserAlias> Aliases { get; } = [];

    /// <summary>Attribute values: string, long, double, bool, <see cref="SimTime"/>, <c>List&lt;object&gt;</c> for
    /// arrays and <c>Dictionary&lt;string, object&gt;</c> for nested attributes. A removed attribute is absent.</summary>
    public Dictionary<string, object> Attributes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, EventTally> Events { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, PurchaseTally> Purchases { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset UpdatedAt { get; set; } = createdAt;

    /// <summary>Store-wide order of the last update; breaks ties between equal timestamps.</summary>
    public long UpdateSequence { get; set; }

    public string? Email => Attributes.TryGetValue("email", out var v) ? v as string : null;

    public string? Phone => Attributes.TryGetValue("phone", out var v) ? v as string : null;
}

internal readonly record struct UserAlias(string Name, string Label);

internal sealed class EventTally
{
    public long Count { get; set; }

    public DateTimeOffset First { get; set; }

    public DateTimeOffset Last { get; set; }
}

internal sealed class PurchaseTally
{
    public long Count { get; set; }

    public decimal Total { get; set; }

    public string Currency { get; set; } = "USD";
}

/// <summary>A date attribute (<c>{"$time": "..."}</c>), kept apart from strings so exports can format it.</summary>
internal readonly record struct SimTime(DateTimeOffset Value)
{
    public override string ToString() =>
        Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
