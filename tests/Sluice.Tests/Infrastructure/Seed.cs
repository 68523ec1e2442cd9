using System.Text.Json.Nodes;

namespace Sluice.Tests.Infrastructure;

/// <summary>The Braze webhook body of the integration document, with the user varied per test.</summary>
public static class Seed
{
    public static JsonObject BrazeUser(string email, string brazeId, string firstName = "John") => new()
    {
        ["city"] = "AnyTown",
        ["country"] = "United States",
        ["first_name"] = firstName,
        ["gender"] = "male",
        ["language"] = "English",
        ["last_name"] = "Smith",
        ["date_of_birth"] = "19820101",
        ["phone_number"] = "5551231234",
        ["time_zone"] = "GMT+7",
        ["twitter_handle"] = "johnsmith",
        ["email"] = email,
        ["braze_id"] = brazeId,
    };

    public static string UniqueEmail(string prefix = "user") => $"{prefix}.{Guid.NewGuid():N}@email.com";
}
