namespace Sluice.WebConsole;

/// <summary>The console's role policies as constants, for <c>[Authorize(Policy = ...)]</c> on pages (see TokenPolicies).</summary>
internal static class ConsolePolicies
{
    public const string Observer = "console:observer";
    public const string DataManager = "console:data_manager";
    public const string AudienceManager = "console:audience_manager";
    public const string Admin = "console:admin";
}
