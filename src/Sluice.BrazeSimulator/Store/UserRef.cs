namespace Sluice.BrazeSimulator.Store;

internal enum IdentifierKind
{
    ExternalId,
    BrazeId,
    UserAlias,
    Email,
    Phone,
}

/// <summary>How a request object names its user. For aliases <see cref="Value"/> is the name.</summary>
internal readonly record struct UserRef(IdentifierKind Kind, string Value, string? AliasLabel = null);
