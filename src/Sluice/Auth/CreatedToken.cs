namespace Sluice.Auth;

/// <summary>A newly created token: the only moment its secret exists outside the caller's hands.</summary>
internal sealed record CreatedToken(AccessToken Token, string Secret);
