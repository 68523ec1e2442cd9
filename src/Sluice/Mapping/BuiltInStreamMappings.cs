namespace Sluice.Mapping;

/// <summary>The mappings every account starts with.</summary>
internal sealed class BuiltInStreamMappings : IStreamMappings
{
    private readonly BrazeUsersMapping _brazeUsers = new();

    public IStreamMapping? Find(string accountId, string stream) =>
        string.Equals(stream, "braze_users", StringComparison.Ordinal) ? _brazeUsers : null;
}
