using System.Net;
using System.Text.RegularExpressions;

namespace Sluice.Tests.Infrastructure;

/// <summary>
/// The console over plain HTTP, as a browser without script sees it: signs in through the sign-in form (its hidden
/// fields, antiforgery included, posted back with the token) and keeps the session cookie for the pages it fetches.
/// </summary>
public static partial class ConsoleClient
{
    public static async Task<HttpClient> SignInAsync(Uri baseAddress, string token)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        var form = await http.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var fields = HiddenInput().Matches(form).Select(m => KeyValuePair.Create(Attribute(NameAttribute(), m.Value), Attribute(ValueAttribute(), m.Value)))
            .Append(KeyValuePair.Create("token", token)).ToList();
        using var response = await http.PostAsync(new Uri("/signin", UriKind.Relative), new FormUrlEncodedContent(fields));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"signing in answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return http;
    }

    /// <summary>A page's HTML, which must answer 200.</summary>
    public static async Task<string> PageAsync(this HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}: {html}");
        return html;
    }

    private static string Attribute(Regex attribute, string tag) =>
        attribute.Match(tag) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : "";

    [GeneratedRegex(@"\sname=""([^""]*)""")]
    private static partial Regex NameAttribute();

    [GeneratedRegex(@"\svalue=""([^""]*)""")]
    private static partial Regex ValueAttribute();

    [GeneratedRegex("""<input\b[^>]*\btype="hidden"[^>]*>""")]
    private static partial Regex HiddenInput();
}
