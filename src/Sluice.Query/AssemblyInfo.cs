namespace Sluice.Query;

/// <summary>Marker for the query languages (LQL mappings, FilterQL audiences) of Sluice.</summary>
internal static class QueryAssembly;
