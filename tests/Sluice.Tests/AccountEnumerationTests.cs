using System.Globalization;
using System.Net;
using Sluice.Accounts;

namespace Sluice.Tests;

/// <summary>A valid token learns nothing about accounts other than its own from <c>/c/{aid}</c> routes.</summary>
public sealed class AccountEnumerationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    [Theory]
    [InlineData("observer")]
    [InlineData("data_manager")]
    public async Task A_foreign_account_and_a_missing_one_get_the_same_answer_but_for_the_number(string role)
    {
        var token = await S.TokenAsync(role);
        var (foreign, _) = await S.OtherAccountAsync();
        var missing = await MissingAccountNumberAsync();

        var (foreignStatus, foreignType, foreignBody) = await PostAsync(foreign, token);
        var (missingStatus, missingType, missingBody) = await PostAsync(missing, token);

        Assert.Equal(HttpStatusCode.Forbidden, foreignStatus);
        Assert.Equal(foreignStatus, missingStatus);
        Assert.Equal(foreignType, missingType);
        Assert.Contains(foreign.ToString(CultureInfo.InvariantCulture), foreignBody, StringComparison.Ordinal);
        Assert.Equal(
            foreignBody.Replace(foreign.ToString(CultureInfo.InvariantCulture), "{aid}", StringComparison.Ordinal),
            missingBody.Replace(missing.ToString(CultureInfo.InvariantCulture), "{aid}", StringComparison.Ordinal));
    }

    private async Task<(HttpStatusCode Status, string? ContentType, string Body)> PostAsync(long aid, string token)
    {
        var response = await S.Http.PostRawAsync($"/c/{aid}/app?key={token}", "{\"a\":1}");
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }

    /// <summary>An account number that no account of this server holds.</summary>
    private async Task<long> MissingAccountNumberAsync()
    {
        var accounts = S.Services.GetRequiredService<IAccountStore>();
        var candidate = S.AccountNumber + 1;
        while (await accounts.FindByNumberAsync(candidate, CancellationToken.None) is not null) candidate++;
        return candidate;
    }
}
