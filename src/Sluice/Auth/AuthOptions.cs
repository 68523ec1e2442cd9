using System.ComponentModel.DataAnnotations;

namespace Sluice.Auth;

/// <summary>Authentication limits (section <c>Sluice:Auth</c>).</summary>
internal sealed class AuthOptions
{
    /// <summary>
    /// Failed authentications (an unknown, expired or revoked token) one client address may make per minute, all at
    /// once if it likes; past them it gets 429 until the minute is over. 0 turns the limit off.
    /// </summary>
    [Range(0, 1_000_000)]
    public int FailedAttemptsPerMinute { get; set; } = 30;
}
