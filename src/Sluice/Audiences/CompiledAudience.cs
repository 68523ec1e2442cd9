using Sluice.Query.FilterQl;

namespace Sluice.Audiences;

/// <summary>An audience with its definition compiled once, ready to evaluate profiles.</summary>
internal sealed record CompiledAudience(Audience Audience, CompiledFilter Filter);
