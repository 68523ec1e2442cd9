using Sluice.Accounts;

namespace Sluice.Auth;

/// <summary>What checking a token gave: its record and account when it is usable now.</summary>
internal readonly record struct TokenValidation(TokenValidity Validity, AccessToken? Token = null, Account? Account = null)
{
    public static TokenValidation Invalid => new(TokenValidity.Invalid);

    public static TokenValidation NotLookedUp => new(TokenValidity.NotLookedUp);
}

internal enum TokenValidity
{
    Valid,

    /// <summary>Unknown, expired or revoked.</summary>
    Invalid,

    /// <summary>Not one this server has accepted before, and the caller asked not to look it up.</summary>
    NotLookedUp,
}
