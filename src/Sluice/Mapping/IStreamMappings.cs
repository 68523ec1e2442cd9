using Sluice.Query.Lql;

namespace Sluice.Mapping;

/// <summary>The mappings that apply to an account's stream; streams without one are stored but build no profile.</summary>
internal interface IStreamMappings
{
    ValueTask<IReadOnlyList<CompiledMapping>> ForStreamAsync(string accountId, string stream, CancellationToken ct);
}
