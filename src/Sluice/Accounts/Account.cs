namespace Sluice.Accounts;

/// <summary>A tenant. <see cref="Number"/> is the public account number used in collect URLs (<c>/c/{aid}/...</c>).</summary>
internal sealed record Account(string Id, long Number, string Name, DateTimeOffset CreatedAt);
