namespace Sluice.WebConsole;

/// <summary>
/// The job types the console offers per provider, as the seed names them (Braze: Export Audience; Custom Integrations:
/// Import CSV), with the workflow each runs and the stored authorization provider it needs.
/// </summary>
internal static class JobKinds
{
    public const string BrazeExport = "braze-export-audience";
    public const string CsvImport = "csv-import";

    public static IReadOnlyList<(string Provider, string Workflow, string Name, string Help, string AuthProvider)> All { get; } =
    [
        (ProviderChoices.Braze, BrazeExport, "Export Audience", "Keep an array attribute of Braze users in step with audience membership", "braze"),
        (ProviderChoices.Custom, CsvImport, "Import CSV", "Read CSV files from an SFTP folder into a stream", "sftp"),
    ];

    public static string NameOf(string workflow) => All.FirstOrDefault(k => k.Workflow == workflow).Name ?? workflow;

    public static string ProviderOf(string workflow) =>
        ProviderChoices.NameOf(All.FirstOrDefault(k => k.Workflow == workflow).Provider ?? workflow);
}
