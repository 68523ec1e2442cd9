namespace Sluice.WebConsole;

/// <summary>
/// Places the services' own messages next to the field they are about: the API's messages start with the key they
/// name (<c>config.api_key is required</c>, <c>auth_ids: ...</c>), so the console reuses that rather than checking twice.
/// </summary>
internal static class FormErrors
{
    /// <summary>Adds <paramref name="message"/> under the first of <paramref name="fields"/> it names, or under <paramref name="fallback"/>.</summary>
    public static void Place(IDictionary<string, string> errors, string message, IReadOnlyList<string> fields, string fallback)
    {
        var rest = message.StartsWith("config.", StringComparison.Ordinal) ? message["config.".Length..] : message;
        // The longest name first: private_key_passphrase is not private_key.
        var field = fields.OrderByDescending(f => f.Length).FirstOrDefault(f => rest.StartsWith(f, StringComparison.Ordinal)) ?? fallback;
        // Next to its field the key is shown as the API names it, without the "config." every config key has.
        errors[field] = errors.TryGetValue(field, out var earlier) ? earlier + " " + Sentence(rest) : Sentence(rest);
    }

    private static string Sentence(string message) =>
        message.EndsWith('.') ? message : message + ".";
}
