using System.Diagnostics.CodeAnalysis;

namespace Sluice.Authorizations;

/// <summary>
/// Braze's REST hosts by instance, from Braze's own table. US-10 is <c>rest.us-10</c>, not <c>iad-10</c> as some
/// clients guess; JP-01 and KR-01 are left out because their REST hosts are not documented.
/// </summary>
internal static class BrazeInstances
{
    private static readonly Dictionary<string, Uri> Hosts = Build();

    public static IEnumerable<string> Names => Hosts.Keys.Order(StringComparer.Ordinal);

    public static bool TryGet(string? instance, [NotNullWhen(true)] out Uri? restUrl)
    {
        restUrl = null;
        return instance is not null && Hosts.TryGetValue(instance.Trim(), out restUrl);
    }

    private static Dictionary<string, Uri> Build()
    {
        var hosts = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
        for (var n = 1; n <= 8; n++) hosts[$"US-0{n}"] = new Uri($"https://rest.iad-0{n}.braze.com/");
        hosts["US-10"] = new Uri("https://rest.us-10.braze.com/");
        hosts["EU-01"] = new Uri("https://rest.fra-01.braze.eu/");
        hosts["EU-02"] = new Uri("https://rest.fra-02.braze.eu/");
        hosts["AU-01"] = new Uri("https://rest.au-01.braze.com/");
        hosts["ID-01"] = new Uri("https://rest.id-01.braze.com/");
        return hosts;
    }
}
