namespace Sluice.Import;

/// <summary>Who a file is imported for: the account, the job that remembers it (null: nothing is remembered), and how.</summary>
internal sealed record ImportTarget(string AccountId, string? JobId, CsvImportConfig Config);
