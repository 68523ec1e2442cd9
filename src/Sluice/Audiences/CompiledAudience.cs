using Sluice.Query.FilterQl;

namespace Sluice.Audiences;

/// <summary>An audience with its definition compiled once, ready to evaluate profiles.</summary>
internal sealed record CompiledAudience(Audience Audience, CompiledFilter Filter)
{
    /// <summary>How profile documents and the feed name it (<see cref="AudienceTokens"/>), computed once.</summary>
    public string Token { get; } = Audience.Token;
}
