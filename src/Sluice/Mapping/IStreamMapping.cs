namespace Sluice.Mapping;

/// <summary>Turns a raw event of one stream into identities and profile fields.</summary>
internal interface IStreamMapping
{
    MappedEvent Map(ReadOnlySpan<byte> eventJson);
}

/// <summary>Finds the mapping of an account's stream; streams without one are stored but build no profile.</summary>
internal interface IStreamMappings
{
    IStreamMapping? Find(string accountId, string stream);
}
